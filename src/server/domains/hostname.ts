import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { z } from "zod";

const MAX_HOSTNAME = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export type HostnameResult = { hostname: string } | { error: string };

/**
 * A domain as DNS knows it, in the one form we store: ASCII (punycode for unicode names), lower case, no
 * trailing dot. Refuses IP addresses, URLs, ports and anything that is not a fully qualified name.
 */
export function normaliseHostname(input: string): HostnameResult {
  let value = input.trim();
  if (!value) return { error: "Enter a domain name, like mail.example.com." };
  if (value.endsWith(".")) value = value.slice(0, -1);
  if (isIP(value) || isIP(value.replace(/^\[|\]$/g, ""))) return { error: "Enter a domain name, not an IP address." };
  if (/[/:?#@\\\s]/.test(value)) return { error: "Enter the domain name only, without scheme, path or port (mail.example.com)." };

  // WHATWG's domain-to-ASCII: lower-cases, maps unicode to punycode, rewrites IPv4 forms like "0x7f.1", and
  // answers "" for what no host can be.
  const ascii = domainToASCII(value);
  if (isIP(ascii)) return { error: "Enter a domain name, not an IP address." };
  // Checked before the conversion's verdict, which refuses "example.42" without saying why.
  if (/^[0-9]+$/.test(value.split(".").at(-1)!)) return { error: "The top-level domain cannot be a number." };
  if (!ascii) return { error: "This is not a valid domain name." };
  if (ascii.length > MAX_HOSTNAME) return { error: `A domain name has at most ${MAX_HOSTNAME} characters.` };

  const labels = ascii.split(".");
  if (labels.length < 2) return { error: "Enter a full domain name with its top-level domain, like example.com." };
  if (!labels.every((label) => LABEL.test(label))) {
    return { error: "Each part between dots must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen." };
  }
  return { hostname: ascii };
}

export const hostnameSchema = z
  .string()
  .max(MAX_HOSTNAME + 47, `A domain name has at most ${MAX_HOSTNAME} characters.`)
  .transform((input, ctx) => {
    const result = normaliseHostname(input);
    if ("hostname" in result) return result.hostname;
    ctx.issues.push({ code: "custom", message: result.error, input });
    return z.NEVER;
  })
  .describe("A domain name such as mail.example.com; stored lower case, unicode names as punycode, without a trailing dot.");

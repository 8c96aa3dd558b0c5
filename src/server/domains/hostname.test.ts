import { describe, expect, it } from "vitest";
import { normaliseHostname } from "./hostname";

const label63 = "a".repeat(63);
// 4 × 63 + 3 dots = 255; trimmed to exactly 253.
const longest = `${label63}.${label63}.${label63}.${"a".repeat(57)}.com`;

describe("hostnames", () => {
  it.each([
    ["example.com", "example.com"],
    ["Mail.Example.COM", "mail.example.com"],
    ["mail.example.com.", "mail.example.com"],
    ["  news.example.co.uk ", "news.example.co.uk"],
    ["a-b.example", "a-b.example"],
    ["123.example.com", "123.example.com"],
    ["bücher.de", "xn--bcher-kva.de"],
    ["BÜCHER.de", "xn--bcher-kva.de"],
    ["xn--bcher-kva.de", "xn--bcher-kva.de"],
    ["пример.рф", "xn--e1afmkfd.xn--p1ai"],
    [`${label63}.com`, `${label63}.com`],
    [longest, longest],
  ])("%j is the hostname %j", (input, hostname) => {
    expect(normaliseHostname(input)).toEqual({ hostname });
  });

  it("accepts exactly 253 characters", () => {
    expect(longest).toHaveLength(253);
    expect(normaliseHostname(`a${longest}`)).toHaveProperty("error");
  });

  it.each([
    "",
    "   ",
    "localhost",
    "com",
    ".",
    "1.2.3.4",
    "1.2.3.4.",
    "0x7f.1",
    "::1",
    "[::1]",
    "2001:db8::1",
    "http://example.com",
    "https://example.com/",
    "example.com/path",
    "example.com:8080",
    "example.com?x=1",
    "user@example.com",
    "-example.com",
    "example-.com",
    "exa_mple.com",
    "*.example.com",
    "example..com",
    ".example.com",
    "example.com..",
    "exa mple.com",
    "example.123",
    `${"a".repeat(64)}.com`,
    "example.c%om",
  ])("refuses %j", (input) => {
    expect(normaliseHostname(input)).toEqual({ error: expect.any(String) });
  });

  it("says why: an IP address, a URL, a missing top-level domain", () => {
    expect(normaliseHostname("10.0.0.1")).toEqual({ error: "Enter a domain name, not an IP address." });
    expect(normaliseHostname("https://example.com")).toEqual({ error: expect.stringContaining("without scheme, path or port") });
    expect(normaliseHostname("intranet")).toEqual({ error: expect.stringContaining("top-level domain") });
    expect(normaliseHostname("example.42")).toEqual({ error: "The top-level domain cannot be a number." });
  });
});

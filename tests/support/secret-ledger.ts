import { API_KEY_PREFIX } from "@/server/api-keys/key-format";

// A secret ledger: the secrets a test made or sent, and the texts the app showed to someone other than their
// owner (logs, error bodies, HTML, response headers, the browser console). A leak is a remembered secret, in
// any of the forms a log or a body gives it, inside a captured text. Both suites use it: the integration
// suite through tests/support/secrets.ts, the end-to-end suite through e2e/fixtures.ts.
//
// Nothing here may read the environment: tests/integration/setup.ts imports it before it sets DATABASE_URL.

export type SecretKind = "password" | "API key" | "Authorization header" | "session id" | "session cookie" | "AUTH_SECRET" | "invite token";

/** Shorter values cannot be told apart from ordinary words in a log line. */
export const MIN_SECRET_LENGTH = 8;

interface Needle {
  encoding: string;
  text: string;
}

interface Secret {
  what: SecretKind;
  needles: Needle[];
}

export interface Leak {
  what: SecretKind;
  /** The first characters only: a failure message must not become the leak. */
  redacted: string;
  encoding: string;
  where: string;
}

/** base64 of `value` as it appears at any byte offset inside a longer base64 text: only the stable characters. */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
  });
}

/** The forms a secret takes when a log or a body carries it: as is, in JSON, in a URL or form, in base64. */
export function encodingsOf(value: string): Needle[] {
  const forms: Needle[] = [
    { encoding: "raw", text: value },
    { encoding: "JSON-escaped", text: JSON.stringify(value).slice(1, -1) },
    { encoding: "URL-encoded", text: encodeURIComponent(value) },
    { encoding: "form-encoded", text: new URLSearchParams({ v: value }).toString().slice(2) },
    ...base64Forms(value).map((text) => ({ encoding: "base64", text })),
    ...base64Forms(value).map((text) => ({ encoding: "base64url", text: text.replace(/\+/g, "-").replace(/\//g, "_") })),
  ];
  const seen = new Set<string>();
  return forms.filter((form) => form.text.length >= MIN_SECRET_LENGTH && !seen.has(form.text) && seen.add(form.text));
}

export function redact(value: string): string {
  return `${value.slice(0, 6)}…`;
}

export function describeLeak(leak: Leak): string {
  return `${leak.what} ${leak.redacted} (${leak.encoding}) found in ${leak.where}`;
}

/** The secret part of an API key: what follows the public prefix (which every key and the docs show). */
export function apiKeySecret(key: string): string {
  return key.startsWith(API_KEY_PREFIX) ? key.slice(API_KEY_PREFIX.length) : key;
}

/** The credentials of an Authorization header when they are long enough to be someone's secret. */
export function authorizationSecret(value: string): string | null {
  // The fuzz and door tests also send "Bearer", "Basic abc" and the like, which are nobody's secret.
  const credentials = value.trim().split(/\s+/).slice(1).join(" ");
  return credentials.length >= MIN_SECRET_LENGTH ? value : null;
}

export class SecretLedger {
  private readonly secrets = new Map<string, Secret>();
  private readonly captures: { where: string; text: string }[] = [];
  private readonly forgotten = new Set<string>();

  /** Remembers a secret; returns it, so a constant can be declared in one line. */
  remember<T extends string>(value: T, what: SecretKind): T {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new Error(`A ${what} of fewer than ${MIN_SECRET_LENGTH} characters cannot be told apart from ordinary text: use a longer one.`);
    }
    if (!this.secrets.has(value) && !this.forgotten.has(value)) this.secrets.set(value, { what, needles: encodingsOf(value) });
    return value;
  }

  /** For the ledger's own tests, which leak on purpose: stop looking for `value`, even when it is seen again. */
  forget(value: string): void {
    this.secrets.delete(value);
    this.forgotten.add(value);
  }

  capture(where: string, text: string): void {
    if (text) this.captures.push({ where, text });
  }

  /** Which remembered secrets occur in `text`, in which form. */
  leaksIn(text: string, where: string): Leak[] {
    const leaks: Leak[] = [];
    for (const [value, secret] of this.secrets) {
      const found = secret.needles.find((needle) => text.includes(needle.text));
      if (found) leaks.push({ what: secret.what, redacted: redact(value), encoding: found.encoding, where });
    }
    return leaks;
  }

  /** Every leak in everything captured so far. */
  findLeaks(): Leak[] {
    // One pass over all captures at once first: thousands of fuzz answers are scanned per secret, not per capture.
    if (!this.leaksIn(this.captures.map((entry) => entry.text).join("\u0000"), "").length) return [];
    return this.captures.flatMap((entry) => this.leaksIn(entry.text, entry.where));
  }
}

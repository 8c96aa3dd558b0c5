import { format } from "node:util";
import { API_KEY_PREFIX, isWellFormedApiKey } from "@/server/api-keys/key-format";

// The secret ledger of the integration suite. Support code remembers every secret a test makes or sends
// (passwords, API keys, Authorization headers, session ids) and captures everything the app shows to someone
// other than the secret's owner: the log, error bodies, HTML and response headers. tests/integration/setup.ts
// checks, after every test file, that no capture contains a remembered secret.
//
// Nothing here may read the environment: setup.ts imports this module before it sets DATABASE_URL & co.

export type SecretKind = "password" | "API key" | "Authorization header" | "session id" | "AUTH_SECRET";

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

const secrets = new Map<string, Secret>();
const captures: { where: string; text: string }[] = [];

/** base64 of `value` as it appears at any byte offset inside a longer base64 text: only the stable characters. */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64").replace(/=+$/, "");
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

/** Remembers a secret for the rest of the test file; returns it, so a constant can be declared in one line. */
export function rememberSecret<T extends string>(value: T, what: SecretKind): T {
  if (value.length < MIN_SECRET_LENGTH) {
    throw new Error(`A ${what} of fewer than ${MIN_SECRET_LENGTH} characters cannot be told apart from ordinary text: use a longer one.`);
  }
  if (!secrets.has(value)) secrets.set(value, { what, needles: encodingsOf(value) });
  return value;
}

export function forgetSecret(value: string): void {
  secrets.delete(value);
}

/** An API key: its part after the public prefix is the secret (the prefix alone is in every key and in the docs). */
export function rememberApiKey(key: string): string {
  rememberSecret(key.startsWith(API_KEY_PREFIX) ? key.slice(API_KEY_PREFIX.length) : key, "API key");
  return key;
}

/**
 * An Authorization header a test sent. Its credentials must be long enough to tell apart: the fuzz and door
 * tests also send "Bearer", "Basic abc" and the like, which are not anyone's secret.
 */
export function rememberAuthorization(value: string): void {
  const credentials = value.trim().split(/\s+/).slice(1).join(" ");
  if (credentials.length >= MIN_SECRET_LENGTH) rememberSecret(value, "Authorization header");
}

/** Remembers the key of a successful answer that creates one: the only answer that carries a secret by design. */
function rememberCreatedKey(body: string): void {
  if (!body.includes(API_KEY_PREFIX)) return;
  try {
    const key = (JSON.parse(body) as { key?: unknown }).key;
    if (typeof key === "string" && isWellFormedApiKey(key)) rememberApiKey(key);
  } catch {
    // not JSON: no created key in it
  }
}

export function capture(where: string, text: string): void {
  if (text) captures.push({ where, text });
}

function headersText(headers: Headers): string {
  return [...headers].map(([name, value]) => `${name}: ${value}`).join("\n");
}

/**
 * Records one request/answer of the route handlers: the Authorization sent, every answer's headers, the
 * bodies of errors and HTML pages, and the key a successful creation returns (which is then remembered).
 * Reads a clone, so the caller still gets the whole body.
 */
export async function recordExchange(request: Request, response: Response): Promise<void> {
  const authorization = request.headers.get("authorization");
  if (authorization) rememberAuthorization(authorization);
  const where = `${request.method} ${new URL(request.url).pathname} → ${response.status}`;
  capture(`response headers of ${where}`, headersText(response.headers));
  const body = await response.clone().text();
  const html = /text\/html/i.test(response.headers.get("content-type") ?? "");
  if (response.status >= 400 || html) capture(`${html ? "HTML" : "error body"} of ${where}`, body);
  else rememberCreatedKey(body);
}

/** Which remembered secrets occur in `text`, in which form. */
export function leaksIn(text: string, where: string): Leak[] {
  const leaks: Leak[] = [];
  for (const [value, secret] of secrets) {
    const found = secret.needles.find((needle) => text.includes(needle.text));
    if (found) leaks.push({ what: secret.what, redacted: redact(value), encoding: found.encoding, where });
  }
  return leaks;
}

/** Every leak in everything captured so far. */
export function findLeaks(): Leak[] {
  // One pass over all captures at once first: thousands of fuzz answers are scanned per secret, not per capture.
  if (!leaksIn(captures.map((entry) => entry.text).join("\u0000"), "").length) return [];
  return captures.flatMap((entry) => leaksIn(entry.text, entry.where));
}

export function describeLeak(leak: Leak): string {
  return `${leak.what} ${leak.redacted} (${leak.encoding}) found in ${leak.where}`;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

function chunkText(chunk: unknown): string {
  return typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : String(chunk);
}

/**
 * Tees process.stdout, process.stderr and console.* into the captures; the output still reaches the terminal.
 * Returns the function that puts the originals back (the process outlives one test file).
 */
export function captureOutput(): () => void {
  const restores: (() => void)[] = [];
  for (const [name, stream] of [["stdout", process.stdout], ["stderr", process.stderr]] as const) {
    const original = stream.write;
    const write = original.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      capture(`process.${name}`, chunkText(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
    restores.push(() => (stream.write = original));
  }
  for (const method of CONSOLE_METHODS) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      // format() is what console itself prints: objects inspected, errors with their stack.
      capture(`console.${method}`, format(...args));
      original.apply(console, args);
    };
    restores.push(() => (console[method] = original));
  }
  return () => restores.forEach((restore) => restore());
}

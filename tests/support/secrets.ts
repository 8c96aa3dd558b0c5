import { format } from "node:util";
import { API_KEY_PREFIX, isWellFormedApiKey } from "@/server/api-keys/key-format";
import { apiKeySecret, authorizationSecret, SecretLedger, type Leak, type SecretKind } from "./secret-ledger";

// The secret ledger of the integration suite (one per test file). Support code remembers every secret a test
// makes or sends (passwords, API keys, Authorization headers, session ids) and captures everything the app
// shows to someone other than the secret's owner: the log, error bodies, HTML and response headers.
// tests/integration/setup.ts checks, after every test file, that no capture contains a remembered secret.
//
// Nothing here may read the environment: setup.ts imports this module before it sets DATABASE_URL & co.

export { describeLeak, redact, type Leak, type SecretKind } from "./secret-ledger";

const ledger = new SecretLedger();

export function rememberSecret<T extends string>(value: T, what: SecretKind): T {
  return ledger.remember(value, what);
}

export function forgetSecret(value: string): void {
  ledger.forget(value);
}

export function capture(where: string, text: string): void {
  ledger.capture(where, text);
}

export function leaksIn(text: string, where: string): Leak[] {
  return ledger.leaksIn(text, where);
}

export function findLeaks(): Leak[] {
  return ledger.findLeaks();
}

export function rememberApiKey(key: string): string {
  rememberSecret(apiKeySecret(key), "API key");
  return key;
}

/** An Authorization header a test sent, when its credentials are long enough to be a secret. */
export function rememberAuthorization(value: string): void {
  const secret = authorizationSecret(value);
  if (secret) rememberSecret(secret, "Authorization header");
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

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

function chunkText(chunk: unknown): string {
  return typeof chunk === "string"
    ? chunk
    : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array
      ? Buffer.from(chunk).toString("utf8")
      : String(chunk);
}

/**
 * Tees process.stdout, process.stderr and console.* into the captures; the output still reaches the terminal.
 * Returns the function that puts the originals back (the process outlives one test file).
 */
export function captureOutput(): () => void {
  const restores: (() => void)[] = [];
  for (const [name, stream] of [
    ["stdout", process.stdout],
    ["stderr", process.stderr],
  ] as const) {
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

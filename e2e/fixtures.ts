import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import {
  expect,
  test as base,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Request,
  type Response,
} from "@playwright/test";
import { isWellFormedApiKey } from "@/server/api-keys/key-format";
import {
  apiKeySecret,
  authorizationSecret,
  describeLeak,
  MIN_SECRET_LENGTH,
  SecretLedger,
  type Leak,
  type SecretKind,
} from "../tests/support/secret-ledger";

export { expect };

export const PASSWORD = "correct horse battery staple";

// The whole-suite secrets check of the end-to-end tests (README, Security). For every test an automatic
// fixture remembers its secrets (passwords typed or sent, API keys revealed, Authorization headers and session
// cookies) and records what others could see: every document (HTML) the browser loads, every answer >= 400,
// the browser console and what the server logged meanwhile. At the end of the test none may hold a secret.
// The key reveal dialog shows the new key once, from a Server Action's answer: that is not a document, and
// successful API answers are not in scope (they belong to the caller who holds the key).

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/** The secrets scan of the running test, for a test that checks the scan itself. */
export interface SecretScan {
  remember(value: string, what: SecretKind): string;
  forget(value: string): void;
  /** Every leak so far, the server log included. */
  leaks(): Promise<Leak[]>;
}

/** The ledger of the running test, for the helpers below (a worker runs one test at a time). */
let current: SecretLedger | undefined;

/** Remembers `value` when it is long enough to be told apart from ordinary text. */
function rememberIfLong(ledger: SecretLedger | undefined, value: string | null | undefined, what: SecretKind): void {
  if (ledger && value && value.length >= MIN_SECRET_LENGTH) ledger.remember(value, what);
}

function rememberSessionCookies(ledger: SecretLedger, cookieHeader: string, separator: RegExp): void {
  for (const pair of cookieHeader.split(separator)) {
    const at = pair.indexOf("=");
    if (at > 0 && SESSION_COOKIE.test(pair.slice(0, at).trim()))
      rememberIfLong(
        ledger,
        pair
          .slice(at + 1)
          .split(";")[0]!
          .trim(),
        "session cookie",
      );
  }
}

/** A password in a JSON or form body the browser or a test sends (sign-in and sign-up send one). */
function rememberSentPassword(ledger: SecretLedger, body: unknown): void {
  let data = body;
  if (typeof body === "string") {
    try {
      data = JSON.parse(body);
    } catch {
      return;
    }
  }
  if (data && typeof data === "object" && "password" in data && typeof data.password === "string")
    rememberIfLong(ledger, data.password, "password");
}

function serverLogPath(): string {
  const file = process.env.E2E_SERVER_LOG;
  if (!file) throw new Error("E2E_SERVER_LOG is not set: e2e/global-setup.ts sets it when it starts the server.");
  return file;
}

function place(kind: string, method: string, url: string, status: number): string {
  return `${kind} of ${method} ${new URL(url).pathname} → ${status}`;
}

/** Records a browser answer: documents and errors by body; Set-Cookie session tokens are remembered. */
async function recordPageResponse(ledger: SecretLedger, response: Response): Promise<void> {
  for (const cookie of await response.headerValues("set-cookie")) rememberSessionCookies(ledger, cookie, /\n/);
  const request = response.request();
  const document = request.resourceType() === "document";
  if (!document && response.status() < 400) return;
  // Redirects and aborted loads have no body.
  const body = await response.text().catch(() => "");
  ledger.capture(place(document ? "HTML" : "error body", request.method(), response.url(), response.status()), body);
}

/** Listens to one browser context for the whole test; returns the function that stops listening. */
function watchContext(ledger: SecretLedger, context: BrowserContext, pending: Promise<unknown>[]): () => void {
  const onRequest = (request: Request) => rememberSentPassword(ledger, request.postData());
  const onResponse = (response: Response) => void pending.push(recordPageResponse(ledger, response).catch(() => undefined));
  const onConsole = (message: { type(): string; text(): string }) =>
    ledger.capture(`the browser console (${message.type()})`, message.text());
  const onError = (error: { error(): Error }) =>
    ledger.capture("an uncaught error in the page", `${error.error().message}\n${error.error().stack}`);
  context.on("request", onRequest);
  context.on("response", onResponse);
  context.on("console", onConsole);
  context.on("weberror", onError);
  return () => {
    context.off("request", onRequest);
    context.off("response", onResponse);
    context.off("console", onConsole);
    context.off("weberror", onError);
  };
}

async function recordApiResponse(ledger: SecretLedger, method: string, response: APIResponse): Promise<void> {
  const html = /text\/html/i.test(response.headers()["content-type"] ?? "");
  const body = await response.text().catch(() => "");
  if (response.status() >= 400 || html) {
    ledger.capture(place(html ? "HTML" : "error body", method, response.url(), response.status()), body);
    return;
  }
  // The one successful answer that carries a secret by design: a key created through the API.
  try {
    const key = (JSON.parse(body) as { key?: unknown }).key;
    if (typeof key === "string" && isWellFormedApiKey(key)) ledger.remember(apiKeySecret(key), "API key");
  } catch {
    // not JSON: no key in it
  }
}

/**
 * Records every call of every APIRequestContext (`request`, `page.request`, `playwright.request.newContext()`):
 * they emit no network events, so their shared `fetch`, which get/post/… call, is wrapped for the test.
 */
function recordApiRequests(ledger: SecretLedger, sample: APIRequestContext): () => void {
  const prototype = Object.getPrototypeOf(sample) as { fetch: APIRequestContext["fetch"] };
  const original = prototype.fetch;
  type FetchArgs = Parameters<APIRequestContext["fetch"]>;
  prototype.fetch = async function (this: APIRequestContext, urlOrRequest: FetchArgs[0], options: NonNullable<FetchArgs[1]> = {}) {
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (name.toLowerCase() === "authorization") rememberIfLong(ledger, authorizationSecret(value), "Authorization header");
      if (name.toLowerCase() === "cookie") rememberSessionCookies(ledger, value, /;/);
    }
    rememberSentPassword(ledger, options.data);
    const response = await original.call(this, urlOrRequest, options);
    await recordApiResponse(ledger, options.method ?? (typeof urlOrRequest === "string" ? "GET" : urlOrRequest.method()), response);
    return response;
  } as APIRequestContext["fetch"];
  return () => {
    prototype.fetch = original;
  };
}

export const test = base.extend<{ secretScan: SecretScan }>({
  secretScan: [
    async ({ browser, context }, runTest) => {
      const ledger = new SecretLedger();
      ledger.remember(PASSWORD, "password");
      const log = serverLogPath();
      const logStart = statSync(log).size;
      const contexts = new Set<BrowserContext>();
      const pending: Promise<unknown>[] = [];
      const unwatch: (() => void)[] = [];
      const watch = (next: BrowserContext) => {
        contexts.add(next);
        unwatch.push(watchContext(ledger, next, pending));
      };
      watch(context);
      // Pages of a second user (newPage) live in contexts the test makes itself.
      browser.on("context", watch);
      const unpatch = recordApiRequests(ledger, context.request);
      const leaks = async () => {
        while (pending.length) await Promise.allSettled(pending.splice(0));
        const written = readFileSync(log).subarray(logStart).toString("utf8");
        return [...ledger.findLeaks(), ...ledger.leaksIn(written, "the server log")];
      };
      current = ledger;
      try {
        await runTest({ remember: (value, what) => ledger.remember(value, what), forget: (value) => ledger.forget(value), leaks });
      } finally {
        current = undefined;
        browser.off("context", watch);
        unpatch();
      }
      for (const each of contexts) {
        for (const cookie of await each.cookies().catch(() => []))
          if (SESSION_COOKIE.test(cookie.name)) rememberIfLong(ledger, cookie.value, "session cookie");
      }
      // The server's output reaches the log file through the runner process: give its last lines a moment.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const found = await leaks();
      unwatch.forEach((stop) => stop());
      expect(found.map(describeLeak), "secrets in a page, an error body, the browser console or the server log").toEqual([]);
    },
    { auto: true },
  ],
});

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.com`;
}

/** Signs up through the form and waits for the new workspace; returns its slug. */
export async function signUp(page: Page, name: string, email = uniqueEmail(name.split(" ")[0]!.toLowerCase())) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // The new workspace: its home page, or the keys page it may send a new workspace to.
  await expect(page).toHaveURL(/^https?:\/\/[^/]+\/(?!sign-up$|sign-in)[a-z0-9-]+(\/settings\/api-keys)?$/, { timeout: 30_000 });
  const slug = new URL(page.url()).pathname.split("/")[1]!;
  return { email, slug };
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  rememberIfLong(current, password, "password");
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A second, independent browser (its own cookies), e.g. for the invited teammate. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

/** Creates a key in Settings → API Keys and returns the secret from the one-time reveal. */
export async function createKey(page: Page, name: string, setup: (dialog: Locator) => Promise<void>) {
  const dialog = page.getByRole("dialog");
  // A click that lands before React has hydrated the page does nothing: click again until the dialog opens.
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Create API key" }).click({ timeout: 2_000 });
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await dialog.getByLabel("Name").fill(name);
  await setup(dialog);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByText("You won't be able to see it again.")).toBeVisible();
  const secret = await dialog.getByLabel("API key").inputValue();
  expect(secret).toMatch(/^hey_[0-9A-Za-z]{36}$/);
  current?.remember(apiKeySecret(secret), "API key");
  await expect(dialog.getByText(`Authorization: Bearer ${secret}`)).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  // The reveal asks before closing when the key was not copied (this helper read it instead).
  await page.getByRole("button", { name: "Close without copying" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  return secret;
}

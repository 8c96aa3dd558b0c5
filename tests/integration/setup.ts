import { afterAll, expect, inject, vi } from "vitest";
import { captureOutput, describeLeak, findLeaks, rememberSecret } from "../support/secrets";

// Route handlers run in this process, without Next's request scope: next/headers answers from the request of
// the in-process fetch, so `auth()` and the session door run for real (tests/support/next-request.ts).
vi.mock("next/headers", async () => (await import("../support/next-request")).nextHeadersModule);

// Runs before each test file, before any module that reads the environment is imported.
process.env.DATABASE_URL = inject("databaseUrl");
if (inject("embedded")) {
  process.env.DATABASE_POOL_MAX = "1";
  process.env.EMBEDDED_DATABASE = "1";
}
process.env.AUTH_SECRET ??= "integration-tests-secret-integration-tests";
// Small limits keep the rate-limit tests short; the defaults are in src/server/config.ts.
process.env.SIGN_IN_MAX_FAILURES_PER_ACCOUNT = "5";
process.env.SIGN_IN_MAX_FAILURES_PER_IP = "8";
// A small API limit, so the 429 test needs few requests; every other test stays far below it per key.
process.env.API_RATE_LIMIT = "120";
// The suite sends thousands of refused keys from one in-process address; the failed-authentication limit has
// its own test (tests/integration/failed-authentication.test.ts), which sends its requests from fresh addresses.
process.env.API_AUTH_MAX_FAILURES_PER_IP = "1000000";

// The whole-suite secrets check (README, Security): the support code remembers every password, key,
// Authorization header and session id the tests use, and records every answer of the route handlers; here
// the log is captured too. After the file, none of it may contain a remembered secret.
rememberSecret(process.env.AUTH_SECRET, "AUTH_SECRET");
const restoreOutput = captureOutput();

// Registered first, so it runs after the test file's own afterAll hooks (and sees what they log).
afterAll(() => {
  restoreOutput();
  expect(findLeaks().map(describeLeak), "secrets in the log, an error body, an HTML page or a response header").toEqual([]);
});

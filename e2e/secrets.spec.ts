import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { apiKeySecret, redact } from "../tests/support/secret-ledger";
import { createKey, expect, signUp, test } from "./fixtures";

// The secrets scan of e2e/fixtures.ts checks itself: each place it records, and each secret it collects,
// would be reported. Every planted or logged secret is forgotten before the test ends, so the scan at the
// end of this test stays green.

const leakOf = (value: string, where: string | RegExp, what?: string) =>
  expect.objectContaining({
    redacted: redact(value),
    where: typeof where === "string" ? where : expect.stringMatching(where),
    ...(what ? { what } : {}),
  });

test("the scan records pages, error bodies, the browser console and the server log", async ({ page, request, secretScan }) => {
  // Texts each place is known to hold, remembered as if they were secrets.
  const html = await (await page.goto("/sign-in"))!.text();
  const inPage = secretScan.remember(html.slice(0, 40), "password");
  const problem = await request.get("/api/v1/me");
  expect(problem.status()).toBe(401);
  const inError = secretScan.remember((await problem.text()).slice(0, 40), "password");
  const inConsole = secretScan.remember(`planted-${randomBytes(8).toString("hex")}`, "password");
  await page.evaluate((text) => console.error(`self-test of the secrets scan: ${text}`), inConsole);
  const inLog = secretScan.remember(`planted-${randomBytes(8).toString("hex")}`, "password");
  appendFileSync(process.env.E2E_SERVER_LOG!, `self-test of the secrets scan: ${Buffer.from(inLog).toString("base64")}\n`);

  await expect
    .poll(() => secretScan.leaks())
    .toEqual(
      expect.arrayContaining([
        leakOf(inPage, "HTML of GET /sign-in → 200"),
        leakOf(inError, "error body of GET /api/v1/me → 401"),
        leakOf(inConsole, /^the browser console \(error\)$/),
        leakOf(inLog, "the server log"),
      ]),
    );
  for (const value of [inPage, inError, inConsole, inLog]) secretScan.forget(value);
});

test("the scan collects the session cookie, the revealed key and the Authorization sent", async ({ page, request, secretScan }) => {
  await signUp(page, "Sue Secrets");
  const session = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("authjs.session-token"))!.value;
  const key = await createKey(page, "Self-test", async () => {});
  const authorization = `Bearer ${key}`;
  expect((await request.get("/api/v1/me", { headers: { authorization } })).status()).toBe(200);

  // Printed by the page itself, as a careless script would.
  await page.evaluate((texts) => texts.forEach((text) => console.log(text)), [session, key, `Authorization: ${authorization}`]);
  await expect
    .poll(() => secretScan.leaks())
    .toEqual(
      expect.arrayContaining([
        leakOf(session, /^the browser console/, "session cookie"),
        leakOf(apiKeySecret(key), /^the browser console/, "API key"),
        leakOf(authorization, /^the browser console/, "Authorization header"),
      ]),
    );
  for (const value of [session, apiKeySecret(key), authorization]) secretScan.forget(value);
});

import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { apiKeySecret } from "../tests/support/secret-ledger";
import { openDialog } from "./app-map";
import { createKey, expect, signUp, test } from "./fixtures";
import { serverClockAhead } from "./server-clock";

// A key's life in the browser: rolled with a grace period (both keys work, then the old one stops, on the
// test server's movable clock), stopped early, fenced by an IP allowlist, and found in public (revoked, shown
// as leaked, and named in the owner's notice).

const MINUTE = 60_000;
/** What is shown: a cell's text without its (hidden) tooltips. */
const INNER = { useInnerText: true };

function bearer(secret: string) {
  return { headers: { authorization: `Bearer ${secret}` } };
}

async function me(request: APIRequestContext, secret: string) {
  return request.get("/api/v1/me", bearer(secret));
}

/** The API through the signed-in browser's session (same origin). */
function sessionApi(page: Page, slug: string) {
  const origin = new URL(page.url()).origin;
  const url = (path: string) => `${path}${path.includes("?") ? "&" : "?"}workspace=${slug}`;
  return {
    async post(path: string, data: Record<string, unknown>) {
      const response = await page.request.post(url(path), { data, headers: { origin } });
      expect(response.status(), await response.text()).toBe(201);
      return response.json();
    },
    async keys() {
      const response = await page.request.get(url("/api/v1/api-keys"));
      expect(response.status()).toBe(200);
      return ((await response.json()) as { data: { id: string; partialKey: string; roll: { requestsSinceRoll: number } | null }[] }).data;
    },
  };
}

/**
 * A row of the keys list, by the display form of its own key: a roll's two keys share the name, and each row
 * names the other's key too.
 */
function keyRow(page: Page, secret: string): Locator {
  return page.getByTestId("api-key").filter({ has: page.getByTestId("partial-key").filter({ hasText: `hey_…${secret.slice(-4)}` }) });
}

test("roll in the browser with a 1-hour grace: both keys work, then the old one stops when the grace ends", async ({
  page,
  context,
  request,
  secretScan,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { slug } = await signUp(page, "Rory Roll");
  await page.goto(`/${slug}/settings/api-keys`);
  const oldSecret = await createKey(page, "Billing sync", async () => {});
  const oldRow = keyRow(page, oldSecret);

  const dialog = await openDialog(page, "Roll key…", oldRow);
  await expect(dialog.getByRole("heading", { name: "Roll API key" })).toBeVisible();
  for (const [label, sentence] of [
    ["None", "stops working at once"],
    ["1 hour", "Both keys work for an hour"],
    ["24 hours", "Both keys work for a day"],
    ["7 days", "Both keys work for a week"],
  ] as const) {
    await expect(dialog.getByRole("radio", { name: label, exact: true })).toHaveAccessibleDescription(new RegExp(sentence));
  }
  await dialog.getByRole("radio", { name: "1 hour" }).check();
  await dialog.getByRole("button", { name: "Roll key" }).click();

  // The new secret, once, with what happens to the old key; copied, Done closes at once.
  await expect(dialog.getByRole("heading", { name: "API key rolled" })).toBeVisible();
  await expect(dialog.getByText("You won't be able to see it again.")).toBeVisible();
  await expect(dialog.getByTestId("old-key-fate")).toContainText(`The old key hey_…${oldSecret.slice(-4)} keeps working until`);
  await expect(dialog.getByTestId("old-key-fate")).toContainText("in 1 hour");
  await dialog.getByRole("button", { name: "Copy key" }).click();
  await expect(dialog.getByRole("button", { name: "Copy key" })).toHaveText("Copied");
  const newSecret = await page.evaluate(() => navigator.clipboard.readText());
  expect(newSecret).toMatch(/^hey_[0-9A-Za-z]{36}$/);
  secretScan.remember(apiKeySecret(newSecret), "API key");
  expect(newSecret).not.toBe(oldSecret);
  expect(await dialog.getByLabel("API key").inputValue()).toBe(newSecret);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // Both keys work meanwhile; the old one's answers warn that it stops.
  const oldAnswer = await me(request, oldSecret);
  expect(oldAnswer.status()).toBe(200);
  expect(oldAnswer.headers()["heyoo-key-warning"]).toContain("rolled");
  expect((await me(request, newSecret)).status()).toBe(200);

  // The list: the old key rolled, stopping in an hour, with its use since the roll (counted in batches); the
  // new one replaces it. Neither can be rolled again from here.
  const api = sessionApi(page, slug);
  await expect
    .poll(async () => (await api.keys()).find((key) => key.partialKey === `hey_…${oldSecret.slice(-4)}`)?.roll?.requestsSinceRoll)
    .toBe(1);
  await page.reload();
  const newRow = keyRow(page, newSecret);
  await expect(oldRow.getByTestId("key-state")).toHaveAttribute("data-state", "rolled");
  await expect(oldRow.getByTestId("key-state")).toContainText("Rolled, stops in 1 hour", INNER);
  await expect(oldRow.getByTestId("requests-since-roll")).toHaveText("1 request since the roll");
  await expect(oldRow.getByTestId("key-state")).toContainText(`Replaced by hey_…${newSecret.slice(-4)}`);
  await expect(newRow.getByTestId("key-state")).toContainText(`Replaces hey_…${oldSecret.slice(-4)}`);
  await expect(oldRow.getByRole("button", { name: "Roll key…" })).toHaveCount(0);
  await expect(newRow.getByRole("button", { name: "Roll key…" })).toHaveCount(1);
  await expect(oldRow.getByRole("button", { name: "Stop the old key now" })).toBeVisible();

  // 61 minutes on (the server's lifecycle clock, and the browser's with it): the grace is over.
  const ahead = 61 * MINUTE;
  await serverClockAhead(ahead, async () => {
    const refused = await me(request, oldSecret);
    expect(refused.status()).toBe(401);
    const problem = await refused.json();
    expect(problem.code).toBe("expired_api_key");
    expect(problem.detail).toContain("replaced");
    expect((await me(request, newSecret)).status()).toBe(200);

    await page.clock.setFixedTime(Date.now() + ahead);
    await page.reload();
    await expect(oldRow.getByTestId("key-state")).toHaveAttribute("data-state", "stopped");
    await expect(oldRow.getByTestId("key-state")).toContainText(/Replaced, stopped (just now|\d+ minutes? ago)/, INNER);
    await expect(oldRow.getByRole("button", { name: "Stop the old key now" })).toHaveCount(0);
    await expect(oldRow.getByRole("button", { name: "Roll key…" })).toHaveCount(0);
  });
});

test("Stop the old key now ends a grace period at once; the owner's notice named it until then", async ({ page, request }) => {
  const { slug } = await signUp(page, "Stella Stop");
  const api = sessionApi(page, slug);
  const created = await api.post("/api/v1/api-keys", { name: "Webhook relay", kind: "all" });
  const rolled = await api.post(`/api/v1/api-keys/${created.id}/roll`, { gracePeriod: "24h" });
  expect((await me(request, created.key)).status()).toBe(200);

  await page.goto(`/${slug}/settings/api-keys`);
  const notices = page.getByTestId("key-notices");
  await expect(notices).toContainText(
    `The old key of “Webhook relay” (hey_…${created.key.slice(-4)}) stops tomorrow, when its grace period ends.`,
    INNER,
  );
  const oldRow = keyRow(page, created.key);
  await expect(oldRow.getByTestId("key-state")).toContainText("Rolled, stops tomorrow", INNER);

  const dialog = await openDialog(page, "Stop the old key now", oldRow);
  await expect(dialog.getByRole("heading", { name: "Stop the old key now?" })).toBeVisible();
  await expect(dialog).toContainText(`Its replacement hey_…${rolled.key.slice(-4)} keeps working.`);
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Stop the old key" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Stopped the old key" })).toBeVisible();

  await expect(oldRow.getByTestId("key-state")).toHaveAttribute("data-state", "stopped");
  await expect(oldRow.getByTestId("key-state")).toContainText("Replaced, stopped just now", INNER);
  await expect(oldRow.getByRole("button", { name: "Stop the old key now" })).toHaveCount(0);
  const refused = await me(request, created.key);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).detail).toContain("replaced");
  expect((await me(request, rolled.key)).status()).toBe(200);
  // Nothing stops soon any more: the notice is gone, here and on the home page.
  await expect(page.getByTestId("key-notices")).toHaveCount(0);
  await page.goto(`/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("key-notices")).toHaveCount(0);
});

test("an IP allowlist from the Edit dialog: checked as typed, refused from elsewhere with the address named", async ({ page, request }) => {
  const { slug } = await signUp(page, "Ivy Allowlist");
  await page.goto(`/${slug}/settings/api-keys`);
  const secret = await createKey(page, "Office printer", async () => {});
  expect((await me(request, secret)).status()).toBe(200);
  const row = keyRow(page, secret);
  await expect(row.getByTestId("allowlist")).toHaveCount(0);

  let dialog = await openDialog(page, "Edit", row);
  const field = dialog.getByLabel("IP allowlist");
  await expect(field).toHaveValue("");
  await expect(field).toHaveAccessibleDescription(/203\.0\.113\.7.*2001:db8::\/32/);

  // A bad entry is named once the field is left, before anything is sent; Save keeps the dialog and the text.
  const typed = "203.0.113.0/24, 198.51.100.300";
  await field.fill(typed);
  await expect(dialog.getByTestId("field-error")).toHaveCount(0);
  await field.press("Tab");
  const message = '"198.51.100.300" is not an IP address or CIDR range, e.g. 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32.';
  await expect(dialog.getByTestId("field-error")).toHaveText(message);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(message);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeVisible();
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(typed);
  await expect(dialog.getByTestId("field-error")).toHaveText(message);

  // Fixed, the error goes as it is typed; saved, the row shows the allowlist.
  await field.fill("203.0.113.0/24");
  await expect(dialog.getByTestId("field-error")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(row.getByTestId("allowlist")).toHaveText("Only from 203.0.113.0/24");

  // The e2e server sees the test's calls from 127.0.0.1: not on the list.
  const refused = await me(request, secret);
  expect(refused.status()).toBe(403);
  const problem = await refused.json();
  expect(problem.code).toBe("ip_not_allowed");
  expect(problem.detail).toContain("127.0.0.1");

  // Adding the address (and an IPv6 range, normalised by the server) lets it through again.
  dialog = await openDialog(page, "Edit", row);
  await expect(field).toHaveValue("203.0.113.0/24");
  await field.fill("203.0.113.0/24\n127.0.0.1\n2001:DB8::1/32");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(row.getByTestId("allowlist")).toHaveText("Only from 203.0.113.0/24, 127.0.0.1 and 1 more");
  expect((await me(request, secret)).status()).toBe(200);
  dialog = await openDialog(page, "Edit", row);
  await expect(field).toHaveValue("203.0.113.0/24\n127.0.0.1\n2001:db8::/32");
  await page.keyboard.press("Escape");

  // The Create dialog has the same field.
  const fenced = await createKey(page, "Fenced", async (create) => {
    await create.getByLabel("IP allowlist").fill("198.51.100.0/24");
  });
  await expect(keyRow(page, fenced).getByTestId("allowlist")).toHaveText("Only from 198.51.100.0/24");
  expect((await me(request, fenced)).status()).toBe(403);
});

test("a key reported in public is revoked, listed as leaked with where, and named in the owner's notice until rolled", async ({
  page,
  request,
  secretScan,
}) => {
  const { slug } = await signUp(page, "Lou Leak");
  await page.goto(`/${slug}/settings/api-keys`);
  const secret = await createKey(page, "CI deploy", async () => {});
  await expect(page.getByTestId("key-notices")).toHaveCount(0);

  const where = "https://gist.github.com/someone/0123456789abcdef";
  const report = await request.post("/api/v1/leaked-keys", { data: { keys: [secret], url: where } });
  expect(report.status()).toBe(202);
  expect(await report.json()).toEqual({ received: 1 });
  const refused = await me(request, secret);
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe("leaked_api_key");

  await page.reload();
  const row = keyRow(page, secret);
  const state = row.getByTestId("key-state");
  await expect(state).toHaveAttribute("data-state", "leaked");
  await expect(state.getByText("Leaked", { exact: true })).toBeVisible();
  await expect(state).toContainText("Reported publicly just now", INNER);
  const link = state.getByRole("link", { name: "gist.github.com/someone/0123456789abcdef" });
  await expect(link).toHaveAttribute("href", where);
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");

  // The owner's notice, on the keys page (no link to itself) and elsewhere (with one).
  const notice = `Key “CI deploy” (hey_…${secret.slice(-4)}) was found in public and revoked — roll or delete it.`;
  const alert = page.getByTestId("key-notices").getByRole("alert");
  await expect(alert).toHaveText(notice);
  await page.goto(`/${slug}/campaigns`);
  await expect(alert).toHaveText(`${notice} Go to API keys`);
  await alert.getByRole("link", { name: "Go to API keys" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/api-keys$`));

  // Rolling it needs no grace period (it is revoked already); the new key works and the notice is gone.
  const dialog = await openDialog(page, "Roll key…", row);
  await expect(dialog).toContainText("revoked already, so the new key replaces it at once");
  await expect(dialog.getByRole("radio")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Roll key" }).click();
  await expect(dialog.getByTestId("old-key-fate")).toContainText("has stopped working");
  const replacement = await dialog.getByLabel("API key").inputValue();
  secretScan.remember(apiKeySecret(replacement), "API key");
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "Close without copying" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect((await me(request, replacement)).status()).toBe(200);
  await expect(page.getByTestId("key-notices")).toHaveCount(0);
  await expect(row.getByTestId("key-state")).toContainText("A new key replaced it.");
  await expect(keyRow(page, replacement).getByTestId("key-state")).toContainText(`Replaces hey_…${secret.slice(-4)}`);
});

import type { Page } from "@playwright/test";
import { openDialog } from "./app-map";
import { createKey, expect, signUp, test } from "./fixtures";

// A key's own page: its requests charted by status class (counted in batches, so the page is reloaded until
// they land), per operation, and the permissions it holds but never used, which one confirmation removes.

function bearer(secret: string) {
  return { headers: { authorization: `Bearer ${secret}` } };
}

/** Reloads the key's page until its usage shows `requests` in all (the server writes usage every half second). */
async function reloadUntilCounted(page: Page, requests: string) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("usage-total")).toHaveText(requests, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test("a key used through the API shows its usage chart", async ({ page, request }) => {
  const { slug } = await signUp(page, "Uma Usage");
  await page.goto(`/${slug}/settings/api-keys`);
  const secret = await createKey(page, "Usage probe", async () => {});

  // Before any request: the empty state.
  const row = page.getByTestId("api-key").filter({ hasText: "Usage probe" });
  await row.getByRole("link", { name: "Usage probe" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/api-keys/[A-Za-z0-9_-]+$`));
  await expect(page.getByRole("heading", { name: "Usage probe" })).toBeVisible();
  await expect(page.getByText("No requests in the last 90 days")).toBeVisible();
  await expect(page.getByTestId("last-used")).toHaveText("Never used");
  // Nothing used yet, so there is nothing to restrict it to: the page suggests deleting it instead.
  await expect(page.getByTestId("advice-used-none")).toContainText("It used none of its permissions");
  await expect(page.getByRole("button", { name: "Restrict to what it uses" })).toHaveCount(0);

  // Two answers of 2xx and one of 4xx (a campaign that does not exist).
  for (let i = 0; i < 2; i++) expect((await request.get("/api/v1/campaigns", bearer(secret))).status()).toBe(200);
  expect((await request.get("/api/v1/campaigns/no-such-campaign", bearer(secret))).status()).toBe(404);

  await reloadUntilCounted(page, "3 requests");
  await expect(page.getByTestId("usage-total-2xx")).toHaveText("2");
  await expect(page.getByTestId("usage-total-4xx")).toHaveText("1");
  await expect(page.getByTestId("usage-total-5xx")).toHaveText("0");
  await expect(page.getByTestId("last-used")).not.toHaveText("Never used");
  await expect(page.getByTestId("last-used-from")).toBeVisible();

  // The chart: an svg named by a summary of its numbers, with bars, and a legend naming each class.
  const chart = page.getByTestId("usage-chart").locator("svg.recharts-surface");
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute(
    "aria-label",
    /^Requests per day, last 90 days \(UTC\): 3 requests \(2 succeeded, 1 refused or invalid/,
  );
  await expect(chart.locator(".recharts-bar-rectangle path, .recharts-bar-rectangle rect").first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Legend" }).getByRole("listitem")).toHaveText([/2xx/, /4xx/, /5xx/]);

  // The same numbers as a table, and the last 48 hours by hour.
  await page.getByText("Show the numbers as a table").click();
  const dayTable = page.getByRole("region", { name: "Requests per day, last 90 days (UTC), as a table" });
  await expect(dayTable.locator("tbody tr")).toHaveCount(1);
  await expect(dayTable.locator("tbody tr td")).toHaveText(["2", "1", "0"]);
  await page.getByRole("button", { name: "48 hours" }).click();
  await expect(page.getByRole("button", { name: "48 hours" })).toHaveAttribute("aria-pressed", "true");
  await expect(chart).toHaveAttribute("aria-label", /^Requests per hour, last 48 hours \(UTC\): 3 requests/);
  const hourTable = page.getByRole("region", { name: "Requests per hour, last 48 hours (UTC), as a table" });
  await expect(hourTable.locator("tbody tr td")).toHaveText(["2", "1", "0"]);

  // By operation, most used first, with the permission each declares.
  const operations = page.getByTestId("by-operation").getByRole("row");
  await expect(operations).toHaveCount(2);
  await expect(operations.nth(0).getByRole("rowheader")).toHaveText("GET /api/v1/campaigns");
  await expect(operations.nth(0).getByRole("cell")).toHaveText(["campaigns.read", "2", "2", "0", "0", "0"]);
  await expect(operations.nth(1).getByRole("rowheader")).toHaveText("GET /api/v1/campaigns/{id}");
  await expect(operations.nth(1).getByRole("cell")).toHaveText(["campaigns.read", "1", "0", "1", "0", "0"]);

  // Back to the list.
  await page.getByRole("link", { name: "All API keys" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/api-keys$`));
});

test("an unknown key's page, or another workspace's key, is a 404", async ({ page, browser }) => {
  const { slug } = await signUp(page, "Nia Nokey");
  await page.goto(`/${slug}/settings/api-keys`);
  await createKey(page, "Mine", async () => {});
  await page.getByTestId("api-key").getByRole("link", { name: "Mine" }).click();
  await expect(page.getByRole("heading", { name: "Mine" })).toBeVisible();
  const keyPath = new URL(page.url()).pathname;
  expect((await page.goto(`/${slug}/settings/api-keys/no-such-key`))?.status()).toBe(404);

  // Someone else, in a workspace of their own, with the id of a key that is not theirs.
  const other = await browser.newContext();
  const stranger = await other.newPage();
  const { slug: strangerSlug } = await signUp(stranger, "Sol Stranger");
  const keyId = keyPath.split("/").pop()!;
  expect((await stranger.goto(`/${strangerSlug}/settings/api-keys/${keyId}`))?.status()).toBe(404);
  await other.close();
});

test("restrict to what it uses", async ({ page, request }) => {
  const { slug } = await signUp(page, "Rita Restrict");
  await page.goto(`/${slug}/settings/api-keys`);
  // A Restricted key with Campaigns: read and Tags: read, made through the API with the browser's session.
  const created = await page.request.post(`/api/v1/api-keys?workspace=${slug}`, {
    headers: { origin: new URL(page.url()).origin },
    data: { name: "Campaign reader", kind: "restricted", permissions: ["campaigns.read", "tags.read"] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id, key: secret } = (await created.json()) as { id: string; key: string };

  // Used only to list campaigns.
  expect((await request.get("/api/v1/campaigns", bearer(secret))).status()).toBe(200);

  await page.goto(`/${slug}/settings/api-keys/${id}`);
  await reloadUntilCounted(page, "1 request");
  await expect(page.getByRole("list", { name: "Permissions", exact: true }).getByRole("listitem")).toHaveText([
    /^campaigns\.read/,
    /^tags\.read/,
  ]);
  await expect(page.getByRole("list", { name: "Permissions it does not use" }).getByRole("listitem")).toHaveText(["tags.read (read tags)"]);
  // A key made a moment ago: the advice says how little it has seen.
  await expect(page.getByTestId("observed-days")).toContainText("Observed for less than a day");

  // The confirmation shows the set it keeps and what it loses, before anything changes.
  const dialog = await openDialog(page, "Restrict to what it uses");
  await expect(dialog.getByRole("heading", { name: "Restrict this key to what it uses?" })).toBeVisible();
  await expect(dialog.getByRole("list", { name: "Permissions it keeps" }).getByRole("listitem")).toHaveText([
    "campaigns.read (read campaigns)",
  ]);
  await expect(dialog.getByRole("list", { name: "Permissions it loses" }).getByRole("listitem")).toHaveText(["tags.read (read tags)"]);
  await dialog.getByRole("button", { name: "Restrict key" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // The page shows the key's new permissions, and nothing left to remove.
  await expect(page.getByRole("list", { name: "Permissions", exact: true }).getByRole("listitem")).toHaveText([/^campaigns\.read/]);
  await expect(page.getByTestId("advice-none")).toBeVisible();
  await expect(page.getByRole("button", { name: "Restrict to what it uses" })).toHaveCount(0);

  // The key can no longer read tags: a 403 naming the permission it lacks.
  const refused = await request.get("/api/v1/tags", bearer(secret));
  expect(refused.status()).toBe(403);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");
  expect(((await refused.json()) as { requiredPermission?: string }).requiredPermission).toBe("tags.read");
  expect((await request.get("/api/v1/campaigns", bearer(secret))).status()).toBe(200);

  // And the audit log says who restricted it.
  await page.goto(`/${slug}/settings/audit-log`);
  const entry = page.getByTestId("audit-entry").filter({ hasText: "API key restricted to what it uses" });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("Campaign reader");
});

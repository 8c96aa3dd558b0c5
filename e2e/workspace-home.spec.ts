import type { Page } from "@playwright/test";
import { expect, signUp, test } from "./fixtures";

// The workspace home (keys, recent key activity, campaign totals), the Domains page's copy and Verify buttons
// and the Copy button of every code block on /docs/api, at a laptop's and a phone's width.

const DAY = 86_400_000;

async function post(page: Page, slug: string, path: string, data: Record<string, unknown>) {
  const response = await page.request.post(`${path}?workspace=${slug}`, { data, headers: { origin: new URL(page.url()).origin } });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}

/** The page's content fits its width (the header's own fit is another test's). */
async function expectNoHorizontalScroll(page: Page) {
  expect(await page.locator("main").evaluate((main) => main.scrollWidth <= main.clientWidth)).toBe(true);
}

test("the workspace home shows the keys, those expiring soon, recent key activity and campaign totals", async ({ page }) => {
  const { slug } = await signUp(page, "Hana Home");
  const soon = await post(page, slug, "/api/v1/api-keys", {
    name: "Expiring CI key",
    kind: "all",
    expiresAt: new Date(Date.now() + 2 * DAY).toISOString(),
  });
  await post(page, slug, "/api/v1/api-keys", {
    name: "Long-lived key",
    kind: "read_only",
    expiresAt: new Date(Date.now() + 60 * DAY).toISOString(),
  });
  await post(page, slug, "/api/v1/api-keys", { name: "Never used key", kind: "read_only" });
  expect((await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${soon.key}` } })).status()).toBe(200);
  const campaign = await post(page, slug, "/api/v1/campaigns", { name: "Launch", subject: "Hello", status: "sent" });
  const events = await page.request.post(`/api/v1/campaigns/${campaign.id}/events?workspace=${slug}`, {
    data: {
      events: [
        { type: "sent", occurredAt: new Date().toISOString() },
        { type: "sent", occurredAt: new Date().toISOString() },
        { type: "opened", occurredAt: new Date().toISOString() },
      ],
    },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(events.ok(), await events.text()).toBe(true);
  // Last-used times are written in batches (half a second for the test server): wait until the use is recorded.
  await expect
    .poll(async () => {
      const key = await page.request.get(`/api/v1/api-keys/${soon.id}?workspace=${slug}`);
      return ((await key.json()) as { lastUsedAt: string | null }).lastUsedAt;
    })
    .not.toBeNull();

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(`/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hana's workspace");
    const stats = page.getByRole("definition");
    await expect(page.getByText("API keys", { exact: true })).toBeVisible();
    await expect(stats.filter({ hasText: /^3$/ })).toHaveCount(1);
    await expect(page.getByText("Sent", { exact: true })).toBeVisible();
    await expect(stats.filter({ hasText: /^2$/ })).toHaveCount(1);

    const expiring = page.getByRole("region", { name: "Expiring soon" });
    await expect(expiring.getByTestId("home-key")).toHaveCount(1);
    await expect(expiring).toContainText("Expiring CI key");
    await expect(expiring).toContainText("in 2 days");
    const activity = page.getByRole("region", { name: "Recent key activity" });
    await expect(activity.getByTestId("home-key")).toHaveCount(1);
    await expect(activity).toContainText("Expiring CI key");
    await expect(activity).toContainText("just now");
    await expectNoHorizontalScroll(page);
  }
  await page.getByRole("link", { name: "All by expiry" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/api-keys\\?sort=expires$`));
  await expect(page.getByLabel("Sort")).toHaveValue("expires");
});

test("Domains: copy the record's name and value, and Verify looks it up", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { slug } = await signUp(page, "Dina Domains");
  const domain = await post(page, slug, "/api/v1/domains", { hostname: `mail-${Date.now()}.example.com` });
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(`/${slug}/domains`);
    const item = page.getByTestId("domain");
    await item.getByRole("button", { name: `Copy record name for ${domain.hostname}` }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(domain.verificationRecord.name);
    await item.getByRole("button", { name: `Copy record value for ${domain.hostname}` }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(domain.verificationRecord.value);
    await expectNoHorizontalScroll(page);
  }
  // No such TXT record exists (and there may be no DNS at all here): either way the answer is shown, not a crash.
  await page.getByRole("button", { name: `Verify ${domain.hostname}` }).click();
  await expect(page.getByTestId("domain").getByRole("status")).toHaveText(/No TXT record|DNS lookup .* failed/, { timeout: 15_000 });
  await expect(page.getByTestId("domain")).toContainText("failed");
});

test("every code block on /docs/api has a Copy button with its own name", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/docs/api");
  const blocks = page.locator("figure");
  const count = await blocks.count();
  expect(count).toBeGreaterThan(20);
  for (let index = 0; index < count; index += 1) await expect(blocks.nth(index).getByRole("button", { name: /^Copy / })).toHaveCount(1);
  await page.getByRole("button", { name: "Copy curl example" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe('curl https://YOUR-HEYOO-HOST/api/v1/me \\\n  -H "Authorization: Bearer hey_…"');
  await page.getByRole("button", { name: "Copy example request of Create an API key" }).click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied).toMatchObject({ name: "Reporting", kind: "restricted" });
});

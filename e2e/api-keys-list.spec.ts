import type { Page } from "@playwright/test";
import { apiKeySecret } from "../tests/support/secret-ledger";
import { createKey, expect, signUp, test } from "./fixtures";

// The API Keys page as Stripe's and Dub's users expect it: the reveal asks before the key is lost, the list
// searches, filters, sorts and pages through the URL, times read "3 minutes ago" with the exact time on hover
// and focus, and Edit changes the expiry.

const DAY = 86_400_000;
/** What is shown: a cell's text without its (hidden) tooltip. */
const INNER = { useInnerText: true };

/** The API through the signed-in browser's session (same origin), for setting up many keys quickly. */
function sessionApi(page: Page, slug: string) {
  const origin = new URL(page.url()).origin;
  const url = (path: string) => `${path}${path.includes("?") ? "&" : "?"}workspace=${slug}`;
  return {
    async createKey(body: Record<string, unknown>) {
      const response = await page.request.post(url("/api/v1/api-keys"), { data: { kind: "all", ...body }, headers: { origin } });
      expect(response.status(), await response.text()).toBe(201);
      return (await response.json()) as { id: string; key: string; name: string };
    },
    async getKey(id: string) {
      return (await (await page.request.get(url(`/api/v1/api-keys/${id}`))).json()) as {
        lastUsedAt: string | null;
        expiresAt: string | null;
      };
    },
  };
}

/** Console errors (a hydration mismatch is one) of a page from now on. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function openCreateDialog(page: Page) {
  const dialog = page.getByRole("dialog");
  // A click before hydration does nothing: click again until the dialog opens.
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.getByRole("button", { name: "Create API key" }).first().click({ timeout: 2_000 });
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  return dialog;
}

test("the one-time reveal asks before it closes unless the key was copied", async ({ page, context, secretScan }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, "Rita Reveal");
  const errors = consoleErrors(page);

  let dialog = await openCreateDialog(page);
  await dialog.getByLabel("Name").fill("Not copied");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const keyField = dialog.getByLabel("API key");
  await expect(keyField).toBeVisible();
  const secret = await keyField.inputValue();
  secretScan.remember(apiKeySecret(secret), "API key");

  const question = dialog.getByRole("heading", { name: "Have you copied your key?" });
  const goBack = dialog.getByRole("button", { name: "Go back" });

  // Done asks; Go back shows the key again.
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(question).toBeVisible();
  await expect(dialog).toContainText("It will not be shown again.");
  await expect(goBack).toBeFocused();
  await goBack.click();
  await expect(keyField).toHaveValue(secret);

  // Escape asks; Escape again goes back (it never closes past the question).
  await page.keyboard.press("Escape");
  await expect(question).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(keyField).toHaveValue(secret);

  // A click outside asks; confirming closes, once.
  await page.mouse.click(3, 3);
  await expect(question).toBeVisible();
  await dialog.getByRole("button", { name: "Close without copying" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByTestId("api-key").filter({ hasText: "Not copied" })).toHaveCount(1);

  // Copied with the Copy button: Done closes at once.
  dialog = await openCreateDialog(page);
  await dialog.getByLabel("Name").fill("Copied");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const copiedSecret = await dialog.getByLabel("API key").inputValue();
  secretScan.remember(apiKeySecret(copiedSecret), "API key");
  await dialog.getByRole("button", { name: "Copy key" }).click();
  await expect(dialog.getByRole("button", { name: "Copy key" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(copiedSecret);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  // Copied with the keyboard from the field: Escape closes at once.
  dialog = await openCreateDialog(page);
  await dialog.getByLabel("Name").fill("Copied by keyboard");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const typedSecret = await dialog.getByLabel("API key").inputValue();
  secretScan.remember(apiKeySecret(typedSecret), "API key");
  await expect(dialog.getByLabel("API key")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+C");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the keys list searches, filters, sorts and pages, all in the URL", async ({ page }) => {
  const { slug } = await signUp(page, "Lena List");
  const api = sessionApi(page, slug);
  // 30 keys: names Alpha/Beta/Gamma, kinds by turn, two machine keys, expiries 1..30 days out for every other.
  const names: string[] = [];
  for (let index = 0; index < 30; index += 1) {
    const name = `${["Alpha", "Beta", "Gamma"][index % 3]} ${String(index).padStart(2, "0")}`;
    names.push(name);
    await api.createKey({
      name,
      kind: ["all", "read_only", "restricted"][index % 3],
      permissions: index % 3 === 2 ? ["tags.read"] : undefined,
      owner: index === 7 || index === 22 ? "machine" : "you",
      expiresAt: index % 2 === 0 ? new Date(Date.now() + (30 - index) * DAY + 3_600_000).toISOString() : undefined,
    });
  }
  const base = `/${slug}/settings/api-keys`;
  await page.goto(base);
  const rows = page.getByTestId("api-key");
  const rowNames = () => rows.locator("td:first-child span.block").allTextContents();

  // Pages of 25, newest first.
  await expect(rows).toHaveCount(25);
  expect(await rowNames()).toEqual([...names].reverse().slice(0, 25));
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows).toHaveCount(5);
  expect(await rowNames()).toEqual([...names].reverse().slice(25));
  await page.getByRole("link", { name: "First page" }).click();
  await expect(rows).toHaveCount(25);

  // Search by name (Enter submits).
  const search = page.getByRole("searchbox", { name: "Name" });
  await search.fill("beta");
  await search.press("Enter");
  await expect(page).toHaveURL(/[?&]q=beta/);
  await expect(rows).toHaveCount(10);
  for (const name of await rowNames()) expect(name).toMatch(/^Beta /);

  // Kind filter (applies on change) narrows the search further.
  await page.getByLabel("Kind").selectOption("read_only");
  await expect(page).toHaveURL(/kind=read_only/);
  await expect(rows).toHaveCount(10);
  await search.fill("");
  await page.getByLabel("Kind").selectOption("all");
  await expect(page).toHaveURL(/kind=all/);
  await expect(rows).toHaveCount(10);
  await page.getByLabel("Kind").selectOption("restricted");
  await expect(page).toHaveURL(/kind=restricted/);
  await expect(rows).toHaveCount(10);
  for (const name of await rowNames()) expect(name).toMatch(/^Gamma /);

  // Owner: machine users only.
  await page.getByLabel("Kind").selectOption("");
  await expect(page).not.toHaveURL(/kind=restricted/);
  await page.getByLabel("Owner").selectOption("machine");
  await expect(page).toHaveURL(/owner=machine/);
  await expect(rows).toHaveCount(2);
  expect((await rowNames()).sort()).toEqual(["Beta 07", "Beta 22"]);

  // Sort by expiry: soonest first (index 28 expires in 2 days), keys without one last; the column says so.
  await page.getByLabel("Owner").selectOption("");
  await expect(page).not.toHaveURL(/owner=machine/);
  await page.getByLabel("Sort").selectOption("expires");
  await expect(page).toHaveURL(/sort=expires/);
  await expect(page.getByRole("columnheader", { name: "Expires" })).toHaveAttribute("aria-sort", "ascending");
  const expected = names
    .map((name, index) => ({ name, index }))
    .filter(({ index }) => index % 2 === 0)
    .sort((a, b) => b.index - a.index)
    .map(({ name }) => name);
  await expect.poll(async () => (await rowNames()).slice(0, 15)).toEqual(expected);
  await expect(rows.nth(0).getByTestId("expires")).toContainText("Expires soon");
  await expect(rows.nth(24).getByTestId("expires")).toHaveText("No expiry");
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/sort=expires.*cursor=|cursor=.*sort=expires/);
  await expect(rows).toHaveCount(5);
  for (const cell of await rows.getByTestId("expires").allInnerTexts()) expect(cell).toBe("No expiry");

  // Back and Forward restore the list and the controls; a shared link shows the same list.
  await page.goBack();
  await expect(rows).toHaveCount(25);
  await expect(page.getByLabel("Sort")).toHaveValue("expires");
  await page.goBack();
  await expect(page.getByLabel("Sort")).toHaveValue("created");
  await page.goForward();
  await expect(page.getByLabel("Sort")).toHaveValue("expires");
  await page.goto(`${base}?q=alpha&sort=expires`);
  await expect(page.getByRole("searchbox", { name: "Name" })).toHaveValue("alpha");
  await expect(rows).toHaveCount(10);

  // Nothing matches: said so, with a way back. A junk cursor starts over instead of failing.
  await page.goto(`${base}?q=zeta`);
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(rows).toHaveCount(25);
  await page.goto(`${base}?cursor=bm90LWEtY3Vyc29y`);
  await expect(rows).toHaveCount(25);
});

test.describe("in New York", () => {
  // The exact time is the browser's, in its own time zone (the server renders UTC until hydration).
  test.use({ timezoneId: "America/New_York", locale: "en-US" });

  test("times read relatively against a frozen clock, with the exact time on hover and focus", async ({ page }) => {
    const { slug } = await signUp(page, "Tim Times");
    const api = sessionApi(page, slug);
    const start = Date.now();
    const used = await api.createKey({ name: "Used soon-expiring", expiresAt: new Date(start + 5 * DAY + 3_600_000).toISOString() });
    await api.createKey({ name: "Expires later", expiresAt: new Date(start + 20 * DAY).toISOString() });
    await api.createKey({ name: "Untouched" });
    const me = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${used.key}` } });
    expect(me.status()).toBe(200);
    // Last-used times are written in batches (LAST_USED_FLUSH_SECONDS, half a second for the test server).
    let lastUsedAt = Number.NaN;
    await expect
      .poll(async () => {
        lastUsedAt = Date.parse((await api.getKey(used.id)).lastUsedAt ?? "");
        return Number.isFinite(lastUsedAt);
      })
      .toBe(true);

    const errors = consoleErrors(page);
    await page.clock.setFixedTime(lastUsedAt + 3 * 60_000);
    await page.goto(`/${slug}/settings/api-keys`);
    const row = (name: string) => page.getByTestId("api-key").filter({ hasText: name });

    await expect(row("Used soon-expiring").getByTestId("last-used")).toHaveText("3 minutes ago", INNER);
    const expires = row("Used soon-expiring").getByTestId("expires");
    await expect(expires.locator('[data-expiry="soon"]')).toHaveCount(1);
    await expect(expires).toContainText("Expires soon");
    await expect(expires).toContainText("in 5 days");
    await expect(row("Untouched").getByTestId("last-used")).toHaveText("Never used");
    await expect(row("Untouched").getByTestId("expires")).toHaveText("No expiry");
    await expect(row("Expires later").getByTestId("expires")).toHaveText("in 20 days", INNER);
    await expect(row("Expires later").locator('[data-expiry="later"]')).toHaveCount(1);

    // The exact time: a <time datetime> whose tooltip (its description) shows on hover and on keyboard focus.
    const time = row("Used soon-expiring").getByTestId("last-used").locator("time");
    await expect(time).toHaveAttribute("datetime", new Date(lastUsedAt).toISOString());
    const exact = new Intl.DateTimeFormat("en-US", {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
      timeZone: "America/New_York",
    }).format(lastUsedAt);
    expect(exact).toMatch(/ (EST|EDT)$/);
    await expect(time).toHaveAccessibleDescription(exact);
    const tooltip = row("Used soon-expiring").getByTestId("last-used").getByRole("tooltip");
    await expect(tooltip).toBeHidden();
    await time.hover();
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toHaveText(exact);
    await page.mouse.move(0, 0);
    await expect(tooltip).toBeHidden();
    await time.focus();
    await expect(tooltip).toBeVisible();

    // 21 days on, both keys have expired.
    await page.clock.setFixedTime(start + 21 * DAY);
    await page.reload();
    await expect(row("Expires later").locator('[data-expiry="expired"]')).toHaveCount(1);
    await expect(row("Expires later").getByTestId("expires")).toHaveText(/^Expired\s*yesterday$/, INNER);
    await expect(row("Used soon-expiring").getByTestId("expires")).toContainText("Expired");
    await expect(row("Used soon-expiring").getByTestId("last-used")).toHaveText("21 days ago", INNER);
    expect(errors).toEqual([]);
  });
});

test("Edit changes a key's expiry: a number of days, a date, or none", async ({ page }) => {
  const { slug } = await signUp(page, "Eddie Edit");
  const api = sessionApi(page, slug);
  const key = await api.createKey({ name: "Rotating" });
  await page.goto(`/${slug}/settings/api-keys`);
  const row = page.getByTestId("api-key").filter({ hasText: "Rotating" });
  const dialog = page.getByRole("dialog");
  const edit = async () => {
    await expect(async () => {
      if (!(await dialog.isVisible())) await row.getByRole("button", { name: "Edit" }).click({ timeout: 2_000 });
      await expect(dialog).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  };

  await expect(row.getByTestId("expires")).toHaveText("No expiry");
  await edit();
  const expiration = dialog.getByLabel("Expiration", { exact: true });
  await expect(expiration).toHaveValue("keep");
  await expect(expiration.locator("option:checked")).toHaveText("Keep: no expiry");
  await expiration.selectOption("30");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row.getByTestId("expires")).toHaveText("in 30 days", INNER);
  const thirty = Date.parse((await api.getKey(key.id)).expiresAt!);
  expect(Math.abs(thirty - (Date.now() + 30 * DAY))).toBeLessThan(5 * 60_000);

  // Renaming keeps the expiry.
  await edit();
  await expect(expiration.locator("option:checked")).toHaveText("Keep: expires in 30 days");
  await dialog.getByLabel("Name").fill("Rotating (renamed)");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  expect((await api.getKey(key.id)).expiresAt).toBe(new Date(thirty).toISOString());

  // A custom date: the key works through that whole day (UTC).
  await edit();
  await expiration.selectOption("custom");
  const date = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
  await dialog.getByLabel("Expiration date").fill(date);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  expect((await api.getKey(key.id)).expiresAt).toBe(`${date}T23:59:59.999Z`);
  await expect(row.locator('[data-expiry="soon"]')).toHaveCount(1);

  // A custom date left empty is a field error; then Never clears the expiry.
  await edit();
  await expiration.selectOption("custom");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Choose a date.")).toBeVisible();
  await expiration.selectOption("never");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row.getByTestId("expires")).toHaveText("No expiry");
  expect((await api.getKey(key.id)).expiresAt).toBeNull();
});

test("at 1280 px a row's actions sit on one line and a long owner name wraps instead of hiding them", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const { slug } = await signUp(page, "Maximiliana Longname-Ferreira de Albuquerque");
  await page.goto(`/${slug}/settings/api-keys`);
  await createKey(page, "Reporting job for the finance team", async () => {});
  const row = page.getByTestId("api-key").filter({ hasText: "Reporting job for the finance team" });
  const tops = await Promise.all(
    ["Edit", "Roll key…", "Delete"].map(async (name) => (await row.getByRole("button", { name, exact: true }).boundingBox())!.y),
  );
  expect(new Set(tops).size, `tops of Edit, Roll key… and Delete: ${tops.join(", ")}`).toBe(1);
  // Nothing of the table is out of view: its region does not scroll sideways.
  const [scrollWidth, clientWidth] = await page
    .getByRole("region", { name: "API keys" })
    .evaluate((region) => [region.scrollWidth, region.clientWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
});

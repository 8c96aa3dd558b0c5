import { createKey, expect, test } from "./fixtures";
import { loadWorld, storageStatePath } from "./world";

test.use({ storageState: storageStatePath("owner") });

test("a skip link leads to the content; the current section is marked; focus rings show on dark buttons", async ({ page }) => {
  const { slug } = loadWorld();
  await page.goto(`/${slug}/campaigns`);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("#content")).toBeFocused();

  const nav = page.getByRole("navigation", { name: "Workspace" });
  await expect(nav.getByRole("link", { name: "Campaigns" })).toHaveAttribute("aria-current", "page");
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  await page.goto(`/${slug}/settings/people`);
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "People" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // /account and /new have the same header.
  for (const path of ["/account", "/new"]) {
    await page.goto(path);
    await expect(page.getByTestId("current-user")).toBeVisible();
    await expect(page.getByLabel("Switch workspace")).toBeVisible();
  }

  // A dark (primary) button focused from the keyboard draws a ring: a box shadow, in light and dark mode.
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto("/account");
    const button = page.getByRole("button", { name: "Change password" });
    await page.getByLabel("New password").focus();
    await page.keyboard.press("Tab");
    await expect(button).toBeFocused();
    expect(await button.evaluate((element) => getComputedStyle(element).boxShadow)).toMatch(/rgb|oklch|color/);
  }
});

test("after deleting a key, focus lands on the page, not on the body", async ({ page }) => {
  const { slug } = loadWorld();
  await page.goto(`/${slug}/settings/api-keys`);
  await createKey(page, "Short-lived", async () => {});
  const row = page.getByRole("row").filter({ hasText: "Short-lived" });
  await row.getByRole("button", { name: /^Delete/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("row").filter({ hasText: "Short-lived" })).toHaveCount(0);
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName)).not.toBe("BODY");
});

test("the 404 page under a workspace and of an unknown one: every script carries the request's nonce", async ({ page }) => {
  const { slug } = loadWorld();
  const violations: string[] = [];
  page.on("console", (message) => void (/Content Security Policy|Refused to/i.test(message.text()) && violations.push(message.text())));
  for (const path of [`/${slug}/nothing`, "/nope/x"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    // The browser hides the nonce attribute from the DOM but keeps it as the element's property.
    const scripts = await page.evaluate(() => [...document.scripts].map((script) => ({ src: script.src, nonce: script.nonce })));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((script) => !script.nonce)).toEqual([]);
  }
  expect(violations).toEqual([]);
});

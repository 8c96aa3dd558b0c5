import { DIALOGS, PAGES } from "./app-map";
import { accessibilityViolations, horizontalOverflow, SCHEMES, VIEWPORTS, watchConsole } from "./browser-checks";
import { expect, test } from "./fixtures";
import { loadWorld, storageStatePath, type Role } from "./world";

// Generated from PAGES and DIALOGS (e2e/app-map.ts): every page for every role that sees it, and every dialog,
// at 1280×800 and 390×844, in light and dark: no horizontal scrolling, no console error, and no axe-core
// violation of impact moderate or above. One page load per page and role; the viewport and colour scheme
// change in place (CSS follows both without a reload).

async function checkEveryLook(page: import("@playwright/test").Page, scope: string[] | undefined, label: string) {
  // Colours change with a transition when the scheme flips: measure the colours it ends on, not a frame of it.
  await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  const problems: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      const where = `${label} at ${viewport.name} ${viewport.width}px, ${colorScheme}`;
      const { scrollWidth, clientWidth } = await horizontalOverflow(page);
      if (scrollWidth > clientWidth) problems.push(`${where}: ${scrollWidth}px wide in a ${clientWidth}px viewport`);
      for (const violation of await accessibilityViolations(page, scope)) problems.push(`${where}: ${violation}`);
    }
  }
  return problems;
}

for (const role of ["visitor", "owner", "member"] as const) {
  test.describe(`pages as ${role === "visitor" ? "a visitor" : `the ${role}`}`, () => {
    test.use({ storageState: role === "visitor" ? { cookies: [], origins: [] } : storageStatePath(role) });

    for (const spec of PAGES.filter((each) => each.as.includes(role))) {
      test(`${spec.name}: fits 390 and 1280 px, light and dark, with no console error or accessibility violation`, async ({ page }) => {
        const world = loadWorld();
        const logged = watchConsole(page);
        const response = await page.goto(spec.path(world));
        expect(response?.status()).toBe(spec.notFound ? 404 : 200);
        await page.waitForLoadState("networkidle");
        const problems = await checkEveryLook(page, spec.axeScope, spec.name);
        expect(problems).toEqual([]);
        expect(logged.errors, "console errors").toEqual([]);
      });
    }

    for (const dialog of DIALOGS.filter((each) => each.as === (role as Role | "visitor"))) {
      test(`the ${dialog.name} dialog fits 390 and 1280 px, light and dark, with no accessibility violation`, async ({ page }) => {
        const world = loadWorld();
        const logged = watchConsole(page);
        await page.goto(dialog.path(world));
        const opened = await dialog.open(page, world);
        await expect(opened).toBeVisible();
        const problems = await checkEveryLook(page, undefined, `${dialog.name} dialog`);
        // Every button of the dialog can be reached at a phone's width (none pushed off-screen).
        await page.setViewportSize({ width: 390, height: 844 });
        for (const button of await opened.getByRole("button").all()) {
          const box = await button.boundingBox();
          if (box && (box.x < 0 || box.x + box.width > 390))
            problems.push(`${dialog.name}: "${await button.textContent()}" is off-screen at 390px`);
        }
        expect(problems).toEqual([]);
        expect(logged.errors, "console errors").toEqual([]);
        await page.keyboard.press("Escape");
        await expect(opened).toBeHidden();
      });
    }
  });
}

// The API reference's axe scope (app-map.ts) covers its intro and first section in every look. The rest of the
// page repeats the same operation component with other content: checked here once, whole, for every rule but
// colour contrast, which is what makes axe over all of it take minutes (the scoped looks check contrast of the
// same component in light and dark, at both widths).
test("API reference: every section of the whole page, once, has no accessibility violation (contrast: in the scoped looks)", async ({
  page,
}) => {
  await page.goto("/docs/api");
  await page.waitForLoadState("networkidle");
  expect(await accessibilityViolations(page, [], ["color-contrast"])).toEqual([]);
});

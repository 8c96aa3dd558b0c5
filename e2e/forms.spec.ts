import type { Locator, Page, Request } from "@playwright/test";
import { FORMS, type FormSpec, type InvalidCase } from "./app-map";
import { watchConsole } from "./browser-checks";
import { expect, test } from "./fixtures";
import { loadWorld, storageStatePath, type World } from "./world";

// Generated from FORMS (e2e/app-map.ts): every form × every class of invalid input that applies shows its
// error inline, keeps every typed value, shows no error page and logs no console error; and a double click on
// every submit button sends one request.

async function openForm(page: Page, form: FormSpec, world: World): Promise<Locator> {
  await page.goto(form.path(world));
  return form.open ? form.open(page) : page.locator("main");
}

/** Types the form's valid values with the case's overrides; returns what each field holds. */
async function fill(root: Locator, form: FormSpec, world: World, values: Record<string, string> = {}): Promise<Record<string, string>> {
  const typed: Record<string, string> = {};
  for (const [label, valid] of Object.entries(form.fields)) {
    typed[label] = label in values ? values[label]! : valid(world);
    await root.getByLabel(label, { exact: true }).fill(typed[label]);
  }
  return typed;
}

function isSubmitOf(form: FormSpec, request: Request): boolean {
  if (request.method() !== "POST") return false;
  return form.request === "server action" ? Boolean(request.headers()["next-action"]) : form.request.test(new URL(request.url()).pathname);
}

async function expectNoErrorPage(page: Page) {
  await expect(page.getByText("This page could not be loaded")).toHaveCount(0);
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
  await expect(page.getByText("Heyoo is unavailable right now")).toHaveCount(0);
}

async function expectError(root: Locator, error: InvalidCase["error"]) {
  if ("alert" in error) {
    await expect(root.getByRole("alert")).toHaveText(error.alert);
    return;
  }
  const control = root.getByLabel(error.field, { exact: true });
  await expect(control).toHaveAttribute("aria-invalid", "true");
  const describedBy = await control.getAttribute("aria-describedby");
  expect(describedBy, `${error.field} is described by its error`).toBeTruthy();
  const message = root.locator(`[id="${describedBy}"]`);
  await expect(message).toBeVisible();
  await expect(message).not.toHaveText("");
}

for (const role of ["visitor", "owner", "member"] as const) {
  test.describe(`forms filled in by ${role === "visitor" ? "a visitor" : `the ${role}`}`, () => {
    test.use({ storageState: role === "visitor" ? { cookies: [], origins: [] } : storageStatePath(role) });

    for (const form of FORMS.filter((each) => each.as === role)) {
      test(`${form.name}: every invalid input gets an inline error and keeps what was typed`, async ({ page }) => {
        const world = loadWorld();
        const logged = watchConsole(page);
        const cases = form.invalid(world);
        test.skip(cases.length === 0, "no field to get wrong");
        for (const invalid of cases) {
          await test.step(invalid.class, async () => {
            const root = await openForm(page, form, world);
            const typed = await fill(root, form, world, invalid.values);
            await root.getByRole("button", { name: form.submit, exact: true }).click();
            await expectError(root, invalid.error);
            for (const [label, value] of Object.entries(typed)) {
              await expect(root.getByLabel(label, { exact: true }), `${label} keeps what was typed`).toHaveValue(value);
            }
            await expectNoErrorPage(page);
            expect(logged.errors, "console errors").toEqual([]);
          });
        }
      });

      test(`${form.name}: a double click on submit sends one request`, async ({ page }) => {
        const world = loadWorld();
        const root = await openForm(page, form, world);
        // An invalid submission where there is one (nothing is created); the invite link form has no fields.
        const [first] = form.invalid(world);
        await fill(root, form, world, first?.values);
        const sent: Request[] = [];
        page.on("request", (request) => void (isSubmitOf(form, request) && sent.push(request)));
        // The first submit is held on its way until both clicks are done, so the second always lands while it is
        // in flight: a refusal the server answers in a few milliseconds could otherwise come back between the
        // clicks, and a second submit after an answer is a new submit, not a double click (seen once in CI).
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        await page.route("**/*", async (route) => {
          if (isSubmitOf(form, route.request())) await held;
          await route.continue();
        });
        const answered = page.waitForResponse((response) => isSubmitOf(form, response.request()));
        await root.getByRole("button", { name: form.submit, exact: true }).dblclick();
        await page.waitForTimeout(300);
        release();
        // At once: disabled, with the one pending label.
        await answered;
        if (first) await expectError(root, first.error);
        else await expect(root.getByRole("button", { name: form.submit, exact: true })).toBeEnabled();
        await page.waitForTimeout(500);
        expect(sent.map((request) => request.url())).toHaveLength(1);
      });
    }
  });
}

test.describe("pending state", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("a submit button is disabled with the one pending label while its request is in flight", async ({ page }) => {
    await page.goto("/sign-in");
    // Hold the answer, to look at the button meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/api/account/sign-in", async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const pending = page.getByRole("button", { name: "Please wait…" });
    await expect(pending).toBeDisabled();
    release();
    await expect(page.getByRole("alert")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    await expect(page.getByLabel("Email")).toHaveValue("nobody@example.com");
  });
});

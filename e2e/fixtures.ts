import { randomBytes } from "node:crypto";
import { expect, type Browser, type Locator, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

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
  await expect(page).toHaveURL(/\/[a-z0-9-]+\/settings\/api-keys$/);
  const slug = new URL(page.url()).pathname.split("/")[1]!;
  return { email, slug };
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
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
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await setup(dialog);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByText("You won't be able to see it again.")).toBeVisible();
  const secret = await dialog.getByLabel("API key").inputValue();
  expect(secret).toMatch(/^hey_[0-9A-Za-z]{36}$/);
  await expect(dialog.getByText(`Authorization: Bearer ${secret}`)).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  return secret;
}

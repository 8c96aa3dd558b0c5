import type { Page } from "@playwright/test";
import { createKey, expect, newPage, PASSWORD, signIn, signUp, test } from "./fixtures";

const NEW_PASSWORD = "a brand new passphrase";

/** Whether `page`'s browser is still signed in: its settings page stays, or it is sent to sign in. */
async function expectSignedOut(page: Page, slug: string) {
  await page.goto(`/${slug}/settings/api-keys`);
  await expect(page).toHaveURL(/\/sign-in/);
}

test("changing the password signs out the other browsers and keeps this one", async ({ page, browser }) => {
  const { email, slug } = await signUp(page, "Pat Password");
  const phone = await newPage(browser);
  await signIn(phone, email);
  await expect(phone).toHaveURL(new RegExp(`/${slug}`));

  await page.getByTestId("current-user").click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText("You are also signed in on 1 other browser or device.")).toBeVisible();

  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The password is incorrect.")).toBeVisible();
  await expectSignedIn(phone, slug);

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. 1 other session was signed out.")).toBeVisible();

  await expectSignedOut(phone, slug);
  await expectSignedIn(page, slug);
  await signIn(phone, email);
  await expect(phone.getByText("Incorrect email or password.")).toBeVisible();
  await signIn(phone, email, NEW_PASSWORD);
  await expect(phone).toHaveURL(new RegExp(`/${slug}`));
  await phone.context().close();
});

test("signing out other sessions leaves this browser signed in", async ({ page, browser }) => {
  const { email, slug } = await signUp(page, "Sam Sessions");
  const laptop = await newPage(browser);
  await signIn(laptop, email);
  await expect(laptop).toHaveURL(new RegExp(`/${slug}`));

  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(page.getByText("Signed out 1 other session.")).toBeVisible();
  await expect(page.getByText("You are not signed in anywhere else.")).toBeVisible();
  await expectSignedOut(laptop, slug);
  await expectSignedIn(page, slug);
  await laptop.context().close();
});

test("deleting the account ends every session, stops its keys and deletes the workspace only it used", async ({
  page,
  browser,
  request,
}) => {
  const { email, slug } = await signUp(page, "Dee Delete");
  const key = await createKey(page, "Deploy", async () => {});
  const phone = await newPage(browser);
  await signIn(phone, email);
  await expect(phone).toHaveURL(new RegExp(`/${slug}`));

  await page.goto("/account");
  await expect(page.getByText("You are the only person in these workspaces")).toBeVisible();
  await page.getByRole("button", { name: "Delete account" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account" });
  await expect(dialog.getByLabel("Your email")).toBeFocused();
  // The page behind is inert while the dialog is open.
  await expect(page.getByRole("button", { name: "Change password" })).toHaveCount(0);
  await dialog.getByLabel("Your email").fill("someone-else@example.com");
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Delete my account" }).click();
  await expect(dialog.getByText(`Type ${email} to confirm.`)).toBeVisible();

  await dialog.getByLabel("Your email").fill(email);
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/sign-in\?account=deleted$/);
  await expect(page.getByText("Your account was deleted.")).toBeVisible();

  await expectSignedOut(phone, slug);
  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(401);
  await signIn(page, email);
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await phone.context().close();
});

test("the last owner of a workspace others use is told why the account cannot be deleted", async ({ page, browser }) => {
  const { slug } = await signUp(page, "Lou Last");
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  const teammate = await newPage(browser);
  await signUp(teammate, "Tia Teammate");
  await teammate.goto(link);
  await teammate.getByRole("button", { name: /Join/ }).click();
  await expect(teammate).toHaveURL(new RegExp(`/${slug}`));

  await page.goto("/account");
  await expect(page.getByText("You are the last owner of these workspaces")).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete account" })).toHaveCount(0);
  await teammate.context().close();
});

test("a removed member's open session loses the workspace at once, and keeps their own", async ({ page, browser, baseURL }) => {
  const { slug } = await signUp(page, "Rae Remover");
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  const teammate = await newPage(browser);
  const own = await signUp(teammate, "Tom Removed");
  await teammate.goto(link);
  await teammate.getByRole("button", { name: /^Join / }).click();
  await expect(teammate).toHaveURL(new RegExp(`/${slug}(/settings/api-keys)?$`));
  await teammate.goto(`/${slug}/campaigns`);
  await expect(teammate.getByRole("heading", { name: "Campaigns" })).toBeVisible();
  const apiAsTeammate = () => teammate.request.get(`/api/v1/campaigns?workspace=${slug}`, { headers: { origin: baseURL! } });
  expect((await apiAsTeammate()).status()).toBe(200);

  await page.reload();
  const row = page.getByTestId("person").filter({ hasText: "Tom Removed" });
  await row.getByRole("button", { name: "Remove" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove Tom Removed" }).click();
  await expect(page.getByTestId("person").filter({ hasText: "Tom Removed" })).toHaveCount(0);
  // The row (and the button that opened the dialog) is gone: focus lands on the page, not on the body.
  await expect(page.locator("#content")).toBeFocused();

  // The same cookie, the very next request: the workspace is gone for them, as if it never existed.
  const gone = await teammate.reload();
  expect(gone?.status()).toBe(404);
  await expect(teammate.getByRole("heading", { name: "Campaigns" })).toHaveCount(0);
  await expect(teammate.getByRole("heading", { name: "Page not found" })).toBeVisible();
  // Exactly what a workspace that never existed answers.
  const never = await teammate.goto("/no-such-workspace-anywhere/campaigns");
  expect(never?.status()).toBe(404);
  await expect(teammate.getByRole("heading", { name: "Page not found" })).toBeVisible();
  expect((await apiAsTeammate()).status()).toBe(404);
  await teammate.goto(`/${own.slug}/campaigns`);
  await expect(teammate.getByRole("heading", { name: "Campaigns" })).toBeVisible();
  await teammate.context().close();
});

async function expectSignedIn(page: Page, slug: string) {
  await page.goto(`/${slug}/settings/api-keys`);
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/api-keys$`));
}

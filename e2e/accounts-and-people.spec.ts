import { expect, newPage, PASSWORD, signIn, signUp, test, uniqueEmail } from "./fixtures";

test("sign up lands in a new workspace; a second workspace can be created and switched to", async ({ page }) => {
  const { email, slug } = await signUp(page, "Ada Lovelace");
  await expect(page.getByTestId("current-user")).toHaveText(email);
  await page.getByRole("link", { name: "General" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("Ada's workspace");

  await page.getByLabel("Switch workspace").selectOption("__new");
  await expect(page).toHaveURL(/\/new$/);
  await page.getByLabel("Name").fill("Second Team");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/second-team[a-z0-9-]*$/);
  await expect(page.getByLabel("Switch workspace").locator("option:checked")).toHaveText("Second Team");

  await page.getByLabel("Switch workspace").selectOption(slug);
  await expect(page).toHaveURL(new RegExp(`/${slug}$`));
});

test("sign-up explains bad input field by field", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Bo");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("owners rename the workspace; a taken slug gets a clear error", async ({ page, browser }) => {
  const other = await newPage(browser);
  const { slug: takenSlug } = await signUp(other, "Taken Tom");
  const { slug } = await signUp(page, "Rita Rename");
  await page.goto(`/${slug}/settings/general`);
  await page.getByLabel("Slug").fill(takenSlug);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("This slug is already taken.")).toBeVisible();

  const fresh = `renamed-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill("Renamed Workspace");
  await page.getByLabel("Slug").fill(fresh);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/${fresh}/settings/general`));
  await expect(page.getByLabel("Name")).toHaveValue("Renamed Workspace");
});

test("invite a teammate, who joins as a member; roles change; the last owner is protected", async ({ page, browser }) => {
  const { slug } = await signUp(page, "Olivia Owner");
  await page.goto(`/${slug}/settings/people`);
  await expect(page.getByTestId("seat-count")).toContainText("1 seat used");

  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);

  // The teammate opens the link signed out, creates an account from it and accepts.
  const teammate = await newPage(browser);
  await teammate.goto(link);
  await teammate.getByRole("link", { name: "Create account" }).click();
  const teammateEmail = uniqueEmail("max");
  await teammate.getByLabel("Name").fill("Max Member");
  await teammate.getByLabel("Email").fill(teammateEmail);
  await teammate.getByLabel("Password").fill(PASSWORD);
  await teammate.getByRole("button", { name: "Create account" }).click();
  // Signing up from the link joins the invited workspace at once, and makes no workspace of their own.
  await expect(teammate).toHaveURL(new RegExp(`/${slug}(/settings/api-keys)?$`));
  await expect(teammate.getByLabel("Switch workspace").locator("option:not([value=__new])")).toHaveText(["Olivia's workspace"]);
  await teammate.goto(`/${slug}/settings/general`);
  await expect(teammate.getByLabel("Name")).toBeDisabled();
  await expect(teammate.getByText("Only owners can change these settings.")).toBeVisible();

  // The link worked once.
  const third = await newPage(browser);
  await signUp(third, "Late Larry");
  await third.goto(link);
  await expect(third.getByText("This invite link has already been used.")).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("seat-count")).toContainText("2 seats used");
  const maxRow = page.getByTestId("person").filter({ hasText: "Max Member" });
  await expect(maxRow.getByLabel("Role of Max Member")).toHaveValue("member");

  // A member cannot manage people.
  await teammate.goto(`/${slug}/settings/people`);
  await expect(teammate.getByText("Only owners can invite people.")).toBeVisible();
  await expect(teammate.getByRole("button", { name: "Create invite link" })).toHaveCount(0);

  // The last owner cannot demote themselves or leave: the select is disabled, with the reason beside it.
  const ownRow = page.getByTestId("person").filter({ hasText: "Olivia Owner" });
  await expect(ownRow.getByLabel("Role of Olivia Owner")).toBeDisabled();
  await expect(ownRow.getByLabel("Role of Olivia Owner")).toHaveAccessibleDescription("The only owner: make someone else an owner first.");
  await expect(ownRow.getByRole("button", { name: "Leave" })).toHaveCount(0);

  // Promote Max; now Olivia may step down.
  await maxRow.getByLabel("Role of Max Member").selectOption("owner");
  await expect(maxRow.getByLabel("Role of Max Member")).toHaveValue("owner");
  await expect(ownRow.getByLabel("Role of Olivia Owner")).toBeEnabled();
  // A Server Action (a POST to this page): reload only once it has answered.
  const saved = page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/settings/people"));
  await ownRow.getByLabel("Role of Olivia Owner").selectOption("member");
  await saved;
  await page.reload();
  await expect(page.getByTestId("person").filter({ hasText: "Olivia Owner" })).toContainText("Member");
  await page.goto(`/${slug}/settings/general`);
  await expect(page.getByLabel("Name")).toBeDisabled();
});

test("sign out ends the session; a wrong password gets one clear message, then a rate limit", async ({ page }) => {
  const { email, slug } = await signUp(page, "Sam Signout");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);

  await signIn(page, email, "wrong password");
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await signIn(page, uniqueEmail("nobody"), "wrong password");
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();

  await signIn(page, email);
  // Signing in lands on the workspace's home.
  await expect(page).toHaveURL(new RegExp(`/${slug}$`));
});

test("repeated failures are limited per account with 429 and Retry-After", async ({ page, request, baseURL }) => {
  const { email } = await signUp(page, "Rate Limited");
  const attempt = (password: string) => request.post("/api/account/sign-in", { data: { email, password }, headers: { origin: baseURL! } });
  // The e2e server allows 3 failures per account (SIGN_IN_MAX_FAILURES_PER_ACCOUNT in e2e/global-setup.ts).
  for (let i = 0; i < 3; i++) expect((await attempt("wrong password")).status()).toBe(401);
  const limited = await attempt(PASSWORD);
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(limited.headers()["content-type"]).toBe("application/problem+json");
  expect((await limited.json()).code).toBe("rate_limited");
});

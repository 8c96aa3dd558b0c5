import { createKey, expect, newPage, PASSWORD, signUp, test, uniqueEmail } from "./fixtures";

test("a Restricted key made in the browser gets a 403 naming apiKeys.read, and a 401 once deleted", async ({ page, request }) => {
  const { slug } = await signUp(page, "Kim Keys");
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await expect(page.getByText(/least privilege/)).toBeVisible();

  const secret = await createKey(page, "Campaign sync", async (dialog) => {
    await dialog.getByRole("radio", { name: "Restricted" }).check();
    await dialog.getByRole("radio", { name: "Campaigns: Write" }).check();
    await dialog.getByRole("radio", { name: "Analytics: Read" }).check();
  });

  // The secret is gone from the page once the reveal is closed; the table shows only its display form.
  expect(await page.content()).not.toContain(secret);
  const row = page.getByTestId("api-key").filter({ hasText: "Campaign sync" });
  await expect(row).toContainText(`hey_…${secret.slice(-4)}`);
  await expect(row).toContainText("Campaigns: write");
  await expect(row).toContainText("Never");

  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).workspace.slug).toBe(slug);

  const forbidden = await request.get("/api/v1/api-keys", { headers: { authorization: `Bearer ${secret}` } });
  expect(forbidden.status()).toBe(403);
  expect(forbidden.headers()["content-type"]).toBe("application/problem+json");
  const problem = await forbidden.json();
  expect(problem).toMatchObject({ status: 403, code: "forbidden", requiredPermission: "apiKeys.read" });
  expect(problem.detail).toContain("apiKeys.read");

  await row.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText("Campaign sync");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("api-key")).toHaveCount(0);

  const revoked = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).code).toBe("invalid_api_key");
});

test("a Machine key adds a machine user to People without taking a seat; deleting it removes both", async ({ page, request }) => {
  const { slug } = await signUp(page, "Mona Machine");
  const secret = await createKey(page, "Deploy bot", async (dialog) => {
    await dialog.getByRole("radio", { name: "Read only" }).check();
    await dialog.getByRole("radio", { name: "Machine" }).check();
  });
  const me = await (await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).json();
  expect(me.owner).toMatchObject({ type: "machine", name: "Deploy bot" });

  await page.goto(`/${slug}/settings/people`);
  const machine = page.getByTestId("person").filter({ hasText: "Deploy bot" });
  await expect(machine.getByText("Machine", { exact: true })).toBeVisible();
  await expect(page.getByTestId("seat-count")).toContainText("1 seat used");

  await machine.getByRole("button", { name: "Remove" }).click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /^Remove / })
    .click();
  await expect(page.getByTestId("person").filter({ hasText: "Deploy bot" })).toHaveCount(0);
  await page.goto(`/${slug}/settings/api-keys`);
  await expect(page.getByText("No API keys yet")).toBeVisible();
  expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
});

test("a member sees the Machine option disabled, with the reason", async ({ page, browser }) => {
  const { slug } = await signUp(page, "Owen Owner");
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();

  const member = await newPage(browser);
  await member.goto(link);
  await member.getByRole("link", { name: "Create account" }).click();
  await member.getByLabel("Name").fill("Mia Member");
  await member.getByLabel("Email").fill(uniqueEmail("mia"));
  await member.getByLabel("Password").fill(PASSWORD);
  await member.getByRole("button", { name: "Create account" }).click();
  await expect(member).toHaveURL(new RegExp(`/${slug}(/settings/api-keys)?$`));
  await member.goto(`/${slug}/settings/api-keys`);

  await member.getByRole("button", { name: "Create API key" }).click();
  const dialog = member.getByRole("dialog");
  await expect(dialog.getByRole("radio", { name: "Machine" })).toBeDisabled();
  await expect(dialog.getByText("Only workspace owners can create machine users.")).toBeVisible();
  await dialog.getByRole("radio", { name: "Restricted" }).check();
  await expect(dialog.getByRole("radio", { name: "Workspaces: Write" })).toBeDisabled();
  await expect(dialog.getByRole("radio", { name: "Campaigns: Write" })).toBeEnabled();
});

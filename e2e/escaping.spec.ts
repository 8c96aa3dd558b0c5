import { createKey, expect, newPage, PASSWORD, signUp, test, uniqueEmail } from "./fixtures";

const HOSTILE = `<img src=x onerror=alert(1)><script>alert("x")</script>'; DROP TABLE "User"; --`;

test("hostile names are stored verbatim and shown as text on every settings page: no script runs, no console error", async ({
  page,
  browser,
}) => {
  const problems: string[] = [];
  const watch = (target: typeof page) => {
    target.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    target.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    target.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  };
  watch(page);

  const { slug } = await signUp(page, HOSTILE.slice(0, 60), uniqueEmail("hostile"));
  await createKey(page, HOSTILE.slice(0, 64), async () => {});
  await expect(page.getByTestId("api-key")).toContainText(HOSTILE.slice(0, 64));

  await page.goto(`/${slug}/settings/general`);
  await page.getByLabel("Name").fill(HOSTILE.slice(0, 64));
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue(HOSTILE.slice(0, 64));
  await expect(page.getByLabel("Switch workspace").locator("option:checked")).toHaveText(HOSTILE.slice(0, 64));

  // A teammate with a hostile name joins, so the People page shows one.
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  const teammate = await newPage(browser);
  watch(teammate);
  await teammate.goto(link);
  await teammate.getByRole("link", { name: "Create account" }).click();
  await teammate.getByLabel("Name").fill(`${HOSTILE.slice(0, 40)} Mate`);
  await teammate.getByLabel("Email").fill(uniqueEmail("mate"));
  await teammate.getByLabel("Password").fill(PASSWORD);
  await teammate.getByRole("button", { name: "Create account" }).click();
  // Signing up from the link joins the workspace at once.
  await expect(teammate).toHaveURL(new RegExp(`/${slug}(/settings/api-keys)?$`), { timeout: 30_000 });

  await page.reload();
  await expect(page.getByTestId("person")).toHaveCount(2);
  await expect(page.getByTestId("person").nth(1)).toContainText(`${HOSTILE.slice(0, 40)} Mate`);
  for (const path of ["api-keys", "general", "people"]) await teammate.goto(`/${slug}/settings/${path}`);
  expect(problems).toEqual([]);
});

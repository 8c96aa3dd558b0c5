import { expect, newPage, PASSWORD, signUp, test, uniqueEmail } from "./fixtures";

// Issue 13: an owner changes a member's role and finds the entry in Settings → Audit log with its filters (who,
// action, target, dates), which live in the URL; a wrong filter is explained under its field and keeps what was
// typed; a member gets no tab and is told the log is the owners'.

test("an owner changes a member's role and finds it in the audit log, filtered", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const { slug } = await signUp(page, "Olivia Owner");
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();

  const teammate = await newPage(browser);
  await teammate.goto(`/sign-up?next=${encodeURIComponent(new URL(link).pathname)}`);
  await teammate.getByLabel("Name").fill("Max Member");
  await teammate.getByLabel("Email").fill(uniqueEmail("max"));
  await teammate.getByLabel("Password").fill(PASSWORD);
  await teammate.getByRole("button", { name: "Create account" }).click();
  await expect(teammate).toHaveURL(new RegExp(`/${slug}(/|$)`));

  // A member has no Audit log tab, and the page itself says whose it is.
  await teammate.goto(`/${slug}/settings/general`);
  await expect(teammate.getByRole("navigation", { name: "Settings" }).getByRole("link")).toHaveText(["API Keys", "General", "People"]);
  await teammate.goto(`/${slug}/settings/audit-log`);
  await expect(teammate.getByText("Only owners can see the audit log.")).toBeVisible();
  await expect(teammate.getByTestId("audit-entry")).toHaveCount(0);

  await page.reload();
  const maxRow = page.getByTestId("person").filter({ hasText: "Max Member" });
  // The change is a Server Action (a POST to this page): reload only once it has answered.
  const saved = page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/settings/people"));
  await maxRow.getByLabel("Role of Max Member").selectOption("owner");
  await saved;
  await expect(maxRow.getByLabel("Role of Max Member")).toBeEnabled();
  await page.reload();
  await expect(page.getByTestId("person").filter({ hasText: "Max Member" }).getByLabel("Role of Max Member")).toHaveValue("owner");

  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/audit-log$`));
  const entries = page.getByTestId("audit-entry");
  // Newest first: the role change, then Max joining from the link, then the invite link.
  await expect(entries.first()).toContainText("Member's role changed");
  const change = entries.filter({ hasText: "Member's role changed" });
  await expect(change).toContainText("Max Member");
  // "Member → Owner" on screen; a screen reader hears "Member changed to Owner".
  const roleChange = /Role:\s*Member\s*→\s*changed to\s*Owner/;
  await expect(change).toContainText(roleChange);
  await expect(change).toContainText("Olivia Owner");
  await expect(change).toContainText(/Chrome \d+ on Linux/);
  await expect(change.getByTestId("audit-address")).toHaveText(/^[0-9a-f.:]+$/);
  await expect(change.locator("time")).toHaveText("just now");
  await expect(entries.filter({ hasText: "Member joined" })).toContainText(/Via:\s*Sign-up from an invite link/);

  // Filter by action: the URL holds it, and only the change is listed.
  await page.getByLabel("Action").selectOption({ label: "Member's role changed" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=member\.role_changed/);
  await expect(entries).toHaveCount(1);

  // And by who did it, and today's date (UTC) as the range.
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("Who").selectOption({ label: "Olivia Owner (you)" });
  await page.getByLabel("From (UTC)").fill(today);
  await page.getByLabel("To (UTC)").fill(today);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${today}`));
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(roleChange);

  // A range that ends before it starts: the error is under "To", the dates stay as typed, nothing breaks.
  await page.getByLabel("From (UTC)").fill("2031-01-02");
  await page.getByLabel("To (UTC)").fill("2031-01-01");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/to=2031-01-01/);
  await expect(page.getByLabel("To (UTC)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("To (UTC)")).toHaveAccessibleDescription('Choose a "to" on or after "from".');
  await expect(page.getByLabel("To (UTC)")).toHaveValue("2031-01-01");
  await expect(page.getByLabel("From (UTC)")).toHaveValue("2031-01-02");
  await expect(page.getByRole("status").filter({ hasText: "No entries match these filters." })).toBeVisible();

  // A target that is not an id: the same, under its field.
  await page.getByLabel("From (UTC)").fill("");
  await page.getByLabel("To (UTC)").fill("");
  await page.getByLabel("Key or other target (id)").fill("not an id!");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByLabel("Key or other target (id)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Key or other target (id)")).toHaveAccessibleDescription("Not a valid id.");
  await expect(page.getByLabel("Key or other target (id)")).toHaveValue("not an id!");
  await expect(entries).toHaveCount(1);

  // Choosing a name in the log filters by it: everything that happened to Max.
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/settings/audit-log$`));
  await entries.filter({ hasText: "Member's role changed" }).getByRole("link", { name: "Max Member" }).click();
  await expect(page).toHaveURL(/target=/);
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText("Member's role changed");
  await expect(entries.nth(1)).toContainText("Member joined");
  await expect(page.getByLabel("Key or other target (id)")).toHaveValue(new URL(page.url()).searchParams.get("target")!);
});

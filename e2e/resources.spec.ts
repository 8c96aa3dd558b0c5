import { createKey, expect, signUp, test } from "./fixtures";

test("what an app does through the API shows in the workspace: campaigns with analytics, tags, domains", async ({ page, request }) => {
  const { slug } = await signUp(page, "Ivy Integrator");
  const key = await createKey(page, "Integration", async () => {});
  const headers = { authorization: `Bearer ${key}` };
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const tag = await (await request.post("/api/v1/tags", { headers, data: { name: "Newsletter", color: "#0ea5e9" } })).json();
  const hostile = `<script>alert("x")</script>'; DROP TABLE "Campaign"; --`;
  const created = await request.post("/api/v1/campaigns", {
    headers,
    data: { name: hostile, subject: "November news", status: "sent", tagIds: [tag.id] },
  });
  expect(created.status()).toBe(201);
  const campaign = await created.json();
  expect(campaign.name).toBe(hostile);

  const now = Date.now();
  const events = [
    ...Array.from({ length: 4 }, () => ({ type: "sent", occurredAt: new Date(now - 3_600_000).toISOString() })),
    ...Array.from({ length: 2 }, () => ({ type: "opened", occurredAt: new Date(now - 1_800_000).toISOString() })),
    { type: "clicked", occurredAt: new Date(now - 60_000).toISOString() },
  ];
  const recorded = await request.post(`/api/v1/campaigns/${campaign.id}/events`, { headers, data: { events } });
  expect(await recorded.json()).toEqual({ recorded: 7 });
  const domain = await request.post("/api/v1/domains", { headers, data: { hostname: "Mail.Example.COM." } });
  expect((await domain.json()).hostname).toBe("mail.example.com");

  await page.getByRole("link", { name: "Campaigns" }).click();
  const row = page.getByTestId("campaign");
  await expect(row).toHaveCount(1);
  // Stored verbatim, rendered as text: no script ran.
  await expect(row).toContainText(hostile);
  await expect(row).toContainText("Newsletter");
  await expect(row).toContainText("sent");
  await expect(row.locator("td").nth(2)).toHaveText("4");
  await expect(row.locator("td").nth(3)).toContainText("2 50%");
  await expect(row.locator("td").nth(4)).toContainText("1 25%");

  await page.getByRole("link", { name: "Tags" }).click();
  await expect(page.getByTestId("tag")).toHaveText(["Newsletter"]);
  await page.getByTestId("tag").getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/campaigns\\?tagId=`));
  await expect(page.getByTestId("campaign")).toHaveCount(1);

  await page.getByRole("link", { name: "Domains" }).click();
  const domainRow = page.getByTestId("domain");
  await expect(domainRow).toContainText("mail.example.com");
  await expect(domainRow).toContainText("pending");
  await expect(domainRow).toContainText("_heyoo-verification.mail.example.com");

  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("/api/v1/campaigns/{id}/events").first()).toBeVisible();
  expect(dialogs).toEqual([]);
});

import { createKey, expect, newPage, PASSWORD, signUp, test, uniqueEmail } from "./fixtures";
import { saveWorld, storageStatePath } from "./world";

// Runs once before the other specs (the "world" project in playwright.config.ts).
test("the shared world: an owner with data, a second workspace, a member who joined by invite", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { email: ownerEmail, slug } = await signUp(page, "Olga Owner");

  // Data for every page to show: a key (the keys list, its Edit dialog), then through the API a tag, a
  // campaign, a domain and keys in every state.
  await page.goto(`/${slug}/settings/api-keys`);
  const secret = await createKey(page, "World key", async () => {});
  const headers = { authorization: `Bearer ${secret}` };
  const tag = await page.request.post("/api/v1/tags", { headers, data: { name: "Launch", color: "#2563eb" } });
  expect(tag.status()).toBe(201);
  const campaign = await page.request.post("/api/v1/campaigns", { headers, data: { name: "Spring sale", subject: "Everything must go" } });
  expect(campaign.status()).toBe(201);
  const domain = await page.request.post("/api/v1/domains", { headers, data: { hostname: `mail-${Date.now().toString(36)}.example.com` } });
  expect(domain.status()).toBe(201);

  // Keys in the states the keys list and the owner's notices show: a roll in its grace period (and its
  // replacement), a key found in public (and where), and a key with an IP allowlist.
  const createKeyWith = async (data: Record<string, unknown>) => {
    const response = await page.request.post("/api/v1/api-keys", { headers, data: { kind: "read_only", ...data } });
    expect(response.status()).toBe(201);
    return (await response.json()) as { id: string; key: string };
  };
  const rolled = await createKeyWith({ name: "Rolled key" });
  expect((await page.request.post(`/api/v1/api-keys/${rolled.id}/roll`, { headers, data: { gracePeriod: "7d" } })).status()).toBe(201);
  const leaked = await createKeyWith({ name: "Leaked key" });
  const report = await page.request.post("/api/v1/leaked-keys", {
    data: { keys: [leaked.key], url: "https://github.com/heyoo-e2e/world/blob/main/.env" },
  });
  expect(report.status()).toBe(202);
  await createKeyWith({ name: "Office key", ipAllowlist: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"] });
  const listed = await page.request.get(`/api/v1/api-keys?q=${encodeURIComponent("World key")}`, { headers });
  expect(listed.status()).toBe(200);
  const keyId = ((await listed.json()) as { data: { id: string; name: string }[] }).data.find((key) => key.name === "World key")!.id;

  // The member signs up from an invite link and lands in the owner's workspace, with none of their own.
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByLabel("Invite link").inputValue();
  const member = await newPage(browser);
  const memberEmail = uniqueEmail("mia");
  await member.goto(`/sign-up?next=${encodeURIComponent(new URL(link).pathname)}`);
  await member.getByLabel("Name").fill("Mia Member");
  await member.getByLabel("Email").fill(memberEmail);
  await member.getByLabel("Password").fill(PASSWORD);
  await member.getByRole("button", { name: "Create account" }).click();
  await expect(member).toHaveURL(new RegExp(`/${slug}(/|$)`));
  await expect(member.getByLabel("Switch workspace").locator("option:not([value=__new])")).toHaveText(["Olga's workspace"]);
  await member.context().storageState({ path: storageStatePath("member") });

  // A pending invite for the People page to list, and a second workspace whose slug is taken.
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.getByLabel("Invite link")).toBeVisible();
  await page.goto("/new");
  await page.getByLabel("Name").fill("Other Co");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/other-co[a-z0-9-]*(\/|$)/);
  const otherSlug = new URL(page.url()).pathname.split("/")[1]!;
  await page.context().storageState({ path: storageStatePath("owner") });

  saveWorld({ slug, otherSlug, ownerEmail, memberEmail, memberName: "Mia Member", keyId });
});

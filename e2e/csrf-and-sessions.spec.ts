import { createKey, expect, signUp, test } from "./fixtures";

test("cookie-authenticated mutations refuse cross-site and missing Origins and text/plain JSON; Bearer calls need none", async ({
  page,
  baseURL,
  playwright,
}) => {
  const { slug } = await signUp(page, "Cora Csrf");
  const key = await createKey(page, "Bearer", async () => {});
  const cookies = await page.context().cookies();
  const cookie = cookies.map((entry) => `${entry.name}=${entry.value}`).join("; ");
  // A client that sends exactly the headers we give it (no browser adding Origin for us).
  const raw = await playwright.request.newContext({ baseURL });

  const body = JSON.stringify({ name: "From elsewhere", kind: "all" });
  const attempts = [
    { origin: "https://evil.example", type: "application/json" },
    { origin: undefined, type: "application/json" },
    { origin: "null", type: "application/json" },
  ];
  for (const attempt of attempts) {
    const headers: Record<string, string> = { cookie, "content-type": attempt.type };
    if (attempt.origin) headers.origin = attempt.origin;
    const response = await raw.post(`/api/v1/api-keys?workspace=${slug}`, { headers, data: body });
    expect(response.status(), JSON.stringify(attempt)).toBe(403);
    expect((await response.json()).detail).toBe("Cross-site request refused.");
  }
  const plain = await raw.post(`/api/v1/api-keys?workspace=${slug}`, {
    headers: { cookie, origin: baseURL!, "content-type": "text/plain" },
    data: body,
  });
  expect(plain.status()).toBe(415);

  // A Server Action (the People page's "Create invite link") posted from another site, or with no Origin.
  for (const origin of ["https://evil.example", undefined]) {
    const headers: Record<string, string> = { cookie, "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" };
    if (origin) headers.origin = origin;
    const response = await raw.post(`/${slug}/settings/people`, { headers, data: "[]" });
    expect(response.status(), String(origin)).toBe(403);
  }
  // The same sign-in endpoint refuses a cross-site login (login CSRF).
  const login = await raw.post("/api/account/sign-in", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: JSON.stringify({ email: "x@example.com", password: "whatever-password" }),
  });
  expect(login.status()).toBe(403);

  // Nothing was created by any of it; a Bearer request with no cookie and no Origin works.
  const list = await raw.get("/api/v1/api-keys", { headers: { authorization: `Bearer ${key}` } });
  expect(list.status()).toBe(200);
  expect((await list.json()).data.map((entry: { name: string }) => entry.name)).toEqual(["Bearer"]);
  const created = await raw.post("/api/v1/tags", {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    data: JSON.stringify({ name: "Made by an app" }),
  });
  expect(created.status()).toBe(201);
  await raw.dispose();
});

test("signing out ends the session on the server: the old cookie is refused; forged cookies too", async ({ page, baseURL, playwright }) => {
  const { slug } = await signUp(page, "Sid Session");
  const cookie = (await page.context().cookies()).map((entry) => `${entry.name}=${entry.value}`).join("; ");
  const raw = await playwright.request.newContext({ baseURL });
  const me = () => raw.get(`/api/v1/me?workspace=${slug}`, { headers: { cookie } });
  expect((await me()).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  // Replaying the cookie captured before signing out gets nothing.
  const replay = await me();
  expect(replay.status()).toBe(401);
  const pageReplay = await raw.get(`/${slug}/settings/api-keys`, { headers: { cookie }, maxRedirects: 0 });
  expect(pageReplay.status()).toBe(307);
  expect(pageReplay.headers()["location"]).toContain("/sign-in");

  for (const forged of ["authjs.session-token=forged", `authjs.session-token=${"a".repeat(400)}`]) {
    expect((await raw.get(`/api/v1/me?workspace=${slug}`, { headers: { cookie: forged } })).status()).toBe(401);
  }
  await raw.dispose();
});

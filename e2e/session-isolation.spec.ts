import { createKey, expect, newPage, signUp, test } from "./fixtures";

test("through a browser session too, another workspace's resources answer 404 like ids that never existed", async ({
  page,
  browser,
  baseURL,
}) => {
  // Workspace A, with one of each resource made through its API key.
  const { slug: slugA } = await signUp(page, "Alice Alpha");
  const keyA = await createKey(page, "A", async () => {});
  const headers = { authorization: `Bearer ${keyA}` };
  const request = page.request;
  const tag = await (await request.post("/api/v1/tags", { headers, data: { name: "A tag" } })).json();
  const campaign = await (
    await request.post("/api/v1/campaigns", { headers, data: { name: "A campaign", subject: "s", tagIds: [tag.id] } })
  ).json();
  const domain = await (await request.post("/api/v1/domains", { headers, data: { hostname: "a.example.com" } })).json();
  const keys = await (await request.get("/api/v1/api-keys", { headers })).json();

  // B, signed in, calls the API with its session cookie.
  const b = await newPage(browser);
  const { slug: slugB } = await signUp(b, "Bob Beta");
  const asB = (method: "GET" | "PATCH" | "DELETE", path: string, data?: unknown) =>
    b.request.fetch(`${path}${path.includes("?") ? "&" : "?"}workspace=${slugB}`, { method, data, headers: { origin: baseURL! } });

  const probes: [method: "GET" | "PATCH" | "DELETE", pathFor: (id: string) => string, id: string, data?: unknown][] = [
    ["GET", (id) => `/api/v1/campaigns/${id}`, campaign.id],
    ["PATCH", (id) => `/api/v1/campaigns/${id}`, campaign.id, { name: "stolen" }],
    ["DELETE", (id) => `/api/v1/campaigns/${id}`, campaign.id],
    ["GET", (id) => `/api/v1/tags/${id}`, tag.id],
    ["DELETE", (id) => `/api/v1/tags/${id}`, tag.id],
    ["GET", (id) => `/api/v1/domains/${id}`, domain.id],
    ["DELETE", (id) => `/api/v1/domains/${id}`, domain.id],
    ["GET", (id) => `/api/v1/api-keys/${id}`, keys.data[0].id],
    ["DELETE", (id) => `/api/v1/api-keys/${id}`, keys.data[0].id],
    ["GET", (id) => `/api/v1/workspaces/${id}`, slugA],
  ];
  for (const [method, pathFor, id, data] of probes) {
    const foreign = await asB(method, pathFor(id), data);
    const missing = await asB(method, pathFor(`c${"0".repeat(24)}`), data);
    expect(foreign.status(), `${method} ${pathFor(id)}`).toBe(404);
    const strip = async (response: typeof foreign) => ({ ...(await response.json()), requestId: undefined });
    expect(await strip(foreign)).toEqual(await strip(missing));
  }
  // Naming A's workspace instead of B's gets B nothing either.
  const other = await b.request.get(`/api/v1/campaigns?workspace=${slugA}`);
  expect(other.status()).toBe(404);
  const list = await asB("GET", "/api/v1/campaigns");
  expect(list.status()).toBe(200);
  expect(await list.text()).not.toContain(campaign.id);

  // A's data is untouched.
  expect((await (await request.get(`/api/v1/campaigns/${campaign.id}`, { headers })).json()).name).toBe("A campaign");
  expect((await request.get(`/api/v1/domains/${domain.id}`, { headers })).status()).toBe(200);
});

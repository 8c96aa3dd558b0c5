import { describe, expect, it } from "vitest";
import type { ApiOperation } from "@/server/api/operation";
import { db } from "@/server/db";
import * as tagOperations from "@/server/tags/operations";
import { DEFAULT_TAG_COLOR } from "@/server/tags/schemas";
import { apiClient } from "../support/client";
import { unique } from "../support/factories";
import { lazy, neverExistingId, tenant, withoutRequestId } from "../support/helpers";

type Api = ReturnType<typeof apiClient>;

const OPERATIONS = Object.values(tagOperations) as ApiOperation[];

async function createTag(api: Api, name = unique("tag"), color?: string) {
  const { data, response } = await api.POST("/api/v1/tags", { body: { name, ...(color ? { color } : {}) } });
  expect(response.status).toBe(201);
  return data!;
}

/** One call per operation, keyed by operation id; `id` is a tag the call may change or delete. */
const CALLS: Record<string, (api: Api, id: string) => Promise<{ response: Response; error?: unknown }>> = {
  listTags: (api) => api.GET("/api/v1/tags"),
  createTag: (api) => api.POST("/api/v1/tags", { body: { name: unique("tag") } }),
  getTag: (api, id) => api.GET("/api/v1/tags/{id}", { params: { path: { id } } }),
  updateTag: (api, id) => api.PATCH("/api/v1/tags/{id}", { params: { path: { id } }, body: { color: "#123" } }),
  deleteTag: (api, id) => api.DELETE("/api/v1/tags/{id}", { params: { path: { id } } }),
};
const ID_TAKING = OPERATIONS.filter((operation) => operation.params);

describe("tags: the endpoints", () => {
  it("has a call in this file for every tag operation", () => {
    expect(Object.keys(CALLS).sort()).toEqual(OPERATIONS.map((operation) => operation.id).sort());
  });

  it("creates, reads, recolours, renames and deletes a tag", async () => {
    const { api } = await tenant();
    const created = await createTag(api, "  Newsletter  ", "#3B82F6");
    expect(created).toEqual({
      id: expect.any(String),
      name: "Newsletter",
      color: "#3b82f6",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const read = await api.GET("/api/v1/tags/{id}", { params: { path: { id: created.id } } });
    expect(read.response.status).toBe(200);
    expect(read.data).toEqual(created);

    const recoloured = await api.PATCH("/api/v1/tags/{id}", { params: { path: { id: created.id } }, body: { color: "#F0a" } });
    expect(recoloured.data).toMatchObject({ name: "Newsletter", color: "#ff00aa" });
    // Another case of its own name is no conflict with itself.
    const renamed = await api.PATCH("/api/v1/tags/{id}", { params: { path: { id: created.id } }, body: { name: "NEWSLETTER" } });
    expect(renamed.data).toMatchObject({ name: "NEWSLETTER", color: "#ff00aa" });

    const deleted = await api.DELETE("/api/v1/tags/{id}", { params: { path: { id: created.id } } });
    expect(deleted.response.status).toBe(204);
    const gone = await api.GET("/api/v1/tags/{id}", { params: { path: { id: created.id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ status: 404, code: "not_found", detail: "Tag not found." });
  });

  it("gives a tag without a colour the default one", async () => {
    const { api } = await tenant();
    expect((await createTag(api, "Plain")).color).toBe(DEFAULT_TAG_COLOR);
  });

  it.each([
    ["#abc", "#aabbcc"],
    ["#ABC", "#aabbcc"],
    ["#A1b2C3", "#a1b2c3"],
    [" #000000 ", "#000000"],
  ])("stores the colour %j as %j", async (color, stored) => {
    const { api } = await tenant();
    expect((await createTag(api, unique(), color)).color).toBe(stored);
  });

  it("refuses colours that are not #rgb or #rrggbb with a 422 on the colour", async () => {
    const { api, workspace } = await tenant();
    for (const color of ["red", "abc", "#ab", "#abcd", "#abcdeg", "#aabbccdd", "rgb(0,0,0)", "#", ""]) {
      const { response, error } = await api.POST("/api/v1/tags", { body: { name: unique(), color } });
      expect(response.status, color).toBe(422);
      expect(error).toMatchObject({ code: "unprocessable_entity", errors: { color: [expect.any(String)] } });
    }
    expect(await db.tag.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("detaches a deleted tag from campaigns, which stay", async () => {
    const { api, workspace } = await tenant();
    const tag = await createTag(api);
    const campaign = await db.campaign.create({ data: { workspaceId: workspace.id, name: "Launch", subject: "Hello" } });
    await db.campaignTag.create({ data: { workspaceId: workspace.id, campaignId: campaign.id, tagId: tag.id } });
    expect(await db.campaignTag.count({ where: { tagId: tag.id } })).toBe(1);
    expect((await api.DELETE("/api/v1/tags/{id}", { params: { path: { id: tag.id } } })).response.status).toBe(204);
    expect(await db.campaignTag.count({ where: { tagId: tag.id } })).toBe(0);
    expect(await db.campaign.findUnique({ where: { id: campaign.id } })).not.toBeNull();
  });
});

describe("tags: names are unique in a workspace, ignoring case", () => {
  it("answers a duplicate name in any case with a 409 naming the tag, and creates nothing", async () => {
    const { api, workspace } = await tenant();
    await createTag(api, "Newsletter");
    for (const name of ["Newsletter", "newsletter", " NEWSLETTER "]) {
      const { response, error } = await api.POST("/api/v1/tags", { body: { name } });
      expect(response.status, name).toBe(409);
      expect(error).toMatchObject({
        code: "conflict",
        detail: 'A tag named "Newsletter" already exists in this workspace.',
        errors: { name: ["A tag with this name already exists."] },
      });
    }
    expect(await db.tag.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it("answers a rename to another tag's name with a 409 and changes nothing", async () => {
    const { api } = await tenant();
    await createTag(api, "Promo");
    const other = await createTag(api, "Digest");
    const { response, error } = await api.PATCH("/api/v1/tags/{id}", { params: { path: { id: other.id } }, body: { name: "PROMO" } });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ code: "conflict", detail: 'A tag named "Promo" already exists in this workspace.' });
    expect((await db.tag.findUniqueOrThrow({ where: { id: other.id } })).name).toBe("Digest");
  });

  it("treats LIKE wildcards in names as text", async () => {
    const { api } = await tenant();
    await createTag(api, "abc");
    await createTag(api, "a_c");
    await createTag(api, "a%");
    const { data } = await api.GET("/api/v1/tags", { params: { query: { q: "_" } } });
    expect(data!.data.map((tag) => tag.name)).toEqual(["a_c"]);
  });

  it("lets two workspaces have the same name", async () => {
    const a = await tenant();
    const b = await tenant();
    await createTag(a.api, "Shared");
    await createTag(b.api, "shared");
  });

  it("lets only one of two concurrent creates of the same name in different cases succeed", async () => {
    const { api, workspace } = await tenant();
    const results = await Promise.all(["Weekly", "weekly", "WEEKLY"].map((name) => api.POST("/api/v1/tags", { body: { name } })));
    expect(results.map((result) => result.response.status).sort()).toEqual([201, 409, 409]);
    expect(await db.tag.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });
});

describe("tags: lists", () => {
  it("pages newest first without duplicates or skipped rows while tags are added between pages", async () => {
    const { api } = await tenant();
    const originals: string[] = [];
    for (let i = 0; i < 7; i++) originals.push((await createTag(api, `Original ${i}`)).id);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { data, response } = await api.GET("/api/v1/tags", { params: { query: { limit: 3, ...(cursor ? { cursor } : {}) } } });
      expect(response.status).toBe(200);
      expect(data!.data.length).toBeLessThanOrEqual(3);
      seen.push(...data!.data.map((tag) => tag.id));
      cursor = data!.nextCursor ?? undefined;
      pages++;
      await createTag(api, `Added after page ${pages}`);
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    // Every original, newest first, none skipped; rows added meanwhile are newer than the cursor.
    expect(seen).toEqual([...originals].reverse());
    expect(pages).toBe(3);
  });

  it("filters by text in the name, ignoring case, across pages", async () => {
    const { api } = await tenant();
    for (const name of ["Spring sale", "Summer SALE", "Newsletter", "Wholesale", "Digest"]) await createTag(api, name);
    const first = await api.GET("/api/v1/tags", { params: { query: { q: "sale", limit: 2 } } });
    expect(first.data!.data.map((tag) => tag.name)).toEqual(["Wholesale", "Summer SALE"]);
    const second = await api.GET("/api/v1/tags", { params: { query: { q: "sale", limit: 2, cursor: first.data!.nextCursor! } } });
    expect(second.data).toEqual({ data: [expect.objectContaining({ name: "Spring sale" })], nextCursor: null });
    const empty = await api.GET("/api/v1/tags", { params: { query: { q: "" } } });
    expect(empty.data!.data).toHaveLength(5);
  });

  it("shows only the caller's workspace", async () => {
    const a = await tenant();
    const b = await tenant();
    const aTag = await createTag(a.api);
    const { data } = await b.api.GET("/api/v1/tags", { params: { query: { q: aTag.name } } });
    expect(data).toEqual({ data: [], nextCursor: null });
  });
});

describe("tags: refusals", () => {
  // Two tenants shared by this block's tables; every case makes its own rows, and refused calls change nothing.
  const tenantA = lazy(tenant);
  const tenantB = lazy(tenant);

  // 401 and 403 for every operation (restricted keys, members' keys) are proved for all operations at once,
  // from the permission table, in authorization-matrix.test.ts.

  it.each(ID_TAKING.map((operation) => [operation.id] as const))(
    "%s: another workspace's tag answers 404 exactly like one that never existed, and stays unchanged",
    async (id) => {
      const a = await tenantA();
      const b = await tenantB();
      const aTag = await createTag(a.api, unique("theirs"), "#112233");
      const before = await db.tag.findUniqueOrThrow({ where: { id: aTag.id } });

      const foreign = await CALLS[id]!(b.api, aTag.id);
      const missing = await CALLS[id]!(b.api, neverExistingId());
      expect(foreign.response.status).toBe(404);
      expect(missing.response.status).toBe(404);
      expect(foreign.response.headers.get("content-type")).toBe("application/problem+json");
      expect(withoutRequestId(foreign.error)).toEqual(withoutRequestId(missing.error));
      expect(await db.tag.findUniqueOrThrow({ where: { id: aTag.id } })).toEqual(before);
    },
  );

  it("refuses bodies over the size limit with 413, on create and update", async () => {
    const { api, workspace } = await tenant();
    const tag = await createTag(api);
    const huge = "x".repeat(70_000);
    const created = await api.POST("/api/v1/tags", { body: { name: huge } });
    const updated = await api.PATCH("/api/v1/tags/{id}", { params: { path: { id: tag.id } }, body: { name: huge } });
    for (const { response, error } of [created, updated]) {
      expect(response.status).toBe(413);
      expect(error).toMatchObject({ status: 413, code: "payload_too_large" });
    }
    expect(await db.tag.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it("refuses invalid and unknown fields with 422 naming them", async () => {
    const { api, workspace } = await tenant();
    const tag = await createTag(api, "Kept");
    const creates: [unknown, string][] = [
      [{}, "name"],
      [{ name: "" }, "name"],
      [{ name: "   " }, "name"],
      [{ name: "x".repeat(51) }, "name"],
      [{ name: 42 }, "name"],
      [{ name: "ok", workspaceId: workspace.id }, "workspaceId"],
      [{ name: "ok", id: "x" }, "id"],
    ];
    for (const [body, field] of creates) {
      // @ts-expect-error -- deliberately outside the typed body
      const { response, error } = await api.POST("/api/v1/tags", { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      // An unknown field is reported under its own name.
      expect(JSON.stringify((error as { errors: object }).errors), JSON.stringify(body)).toContain(field);
    }
    const updates: unknown[] = [{}, { name: "" }, { color: "blue" }, { createdAt: "2020-01-01T00:00:00Z" }];
    for (const body of updates) {
      // @ts-expect-error -- deliberately outside the typed body
      const { response } = await api.PATCH("/api/v1/tags/{id}", { params: { path: { id: tag.id } }, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
    }
    expect(await db.tag.findUniqueOrThrow({ where: { id: tag.id } })).toMatchObject({ name: "Kept", workspaceId: workspace.id });
  });

  it("refuses bad query parameters with 422 naming them", async () => {
    const { api } = await tenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 0 }, "limit"],
      [{ limit: 101 }, "limit"],
      [{ limit: "ten" }, "limit"],
      [{ limit: 2.5 }, "limit"],
      [{ cursor: "not-a-cursor" }, "cursor"],
      [{ q: "x".repeat(51) }, "q"],
      [{ sort: "name" }, "sort"],
    ];
    for (const [query, field] of cases) {
      const { response, error } = await api.GET("/api/v1/tags", { params: { query: query as { limit?: number } } });
      expect(response.status, JSON.stringify(query)).toBe(422);
      expect(JSON.stringify((error as { errors: object }).errors), JSON.stringify(query)).toContain(field);
    }
  });
});

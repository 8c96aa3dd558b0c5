import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ApiOperation } from "@/server/api/operation";
import { db } from "@/server/db";
import { createWorkspace } from "@/server/workspaces/create-workspace";
import * as workspaceOperations from "@/server/workspaces/operations";
import { apiClient } from "../support/client";
import { createTeam, unique } from "../support/factories";
import { lazy, tenant, withoutRequestId } from "../support/helpers";

type Api = ReturnType<typeof apiClient>;

const OPERATIONS = Object.values(workspaceOperations) as ApiOperation[];

const CALLS: Record<string, (api: Api, idOrSlug: string) => Promise<{ response: Response; error?: unknown }>> = {
  listWorkspaces: (api) => api.GET("/api/v1/workspaces"),
  getWorkspace: (api, idOrSlug) => api.GET("/api/v1/workspaces/{idOrSlug}", { params: { path: { idOrSlug } } }),
  updateWorkspace: (api, idOrSlug) =>
    api.PATCH("/api/v1/workspaces/{idOrSlug}", { params: { path: { idOrSlug } }, body: { name: "Renamed" } }),
};
const ID_TAKING = OPERATIONS.filter((operation) => operation.params);

describe("workspaces API: the endpoints", () => {
  it("has a call in this file for every workspace operation", () => {
    expect(Object.keys(CALLS).sort()).toEqual(OPERATIONS.map((operation) => operation.id).sort());
  });

  it("lists the one workspace the key belongs to, even when its owner has others", async () => {
    const { api, workspace, owner } = await tenant();
    await createWorkspace(owner.user.id, { name: "Side project" });
    const { data, response } = await api.GET("/api/v1/workspaces");
    expect(response.status).toBe(200);
    expect(data).toEqual({
      data: [{ id: workspace.id, slug: workspace.slug, name: workspace.name, createdAt: workspace.createdAt.toISOString() }],
      nextCursor: null,
    });
    const page = await api.GET("/api/v1/workspaces", { params: { query: { limit: 1 } } });
    expect(page.data).toEqual(data);
  });

  it("gets the key's workspace by id or by slug", async () => {
    const { api, workspace } = await tenant();
    const expected = { id: workspace.id, slug: workspace.slug, name: workspace.name, createdAt: workspace.createdAt.toISOString() };
    for (const idOrSlug of [workspace.id, workspace.slug, workspace.slug.toUpperCase()]) {
      const { data, response } = await api.GET("/api/v1/workspaces/{idOrSlug}", { params: { path: { idOrSlug } } });
      expect(response.status, idOrSlug).toBe(200);
      expect(data).toEqual(expected);
    }
  });

  it("renames the workspace and changes its slug; the old slug stops naming it", async () => {
    const { api, workspace } = await tenant();
    const slug = unique("renamed");
    const { data, response } = await api.PATCH("/api/v1/workspaces/{idOrSlug}", {
      params: { path: { idOrSlug: workspace.slug } },
      body: { name: "  Renamed Inc  ", slug: ` ${slug.toUpperCase()} ` },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ id: workspace.id, slug, name: "Renamed Inc", createdAt: workspace.createdAt.toISOString() });

    expect((await api.GET("/api/v1/workspaces/{idOrSlug}", { params: { path: { idOrSlug: slug } } })).data?.name).toBe("Renamed Inc");
    expect((await api.GET("/api/v1/workspaces/{idOrSlug}", { params: { path: { idOrSlug: workspace.slug } } })).response.status).toBe(404);

    const nameOnly = await api.PATCH("/api/v1/workspaces/{idOrSlug}", {
      params: { path: { idOrSlug: workspace.id } },
      body: { name: "Acme" },
    });
    expect(nameOnly.data).toMatchObject({ slug, name: "Acme" });
  });

  it("answers a slug another workspace has with a 409 on slug, and changes nothing", async () => {
    const { api, workspace } = await tenant();
    const other = await createTeam();
    const { response, error } = await api.PATCH("/api/v1/workspaces/{idOrSlug}", {
      params: { path: { idOrSlug: workspace.id } },
      body: { name: "Taken", slug: other.workspace.slug },
    });
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ code: "conflict", errors: { slug: ["This slug is already taken."] } });
    expect(await db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).toMatchObject({
      name: workspace.name,
      slug: workspace.slug,
    });
  });
});

describe("workspaces API: refusals", () => {
  // Two tenants shared by this block's tables; every case makes its own rows, and refused calls change nothing.
  const tenantA = lazy(tenant);
  const tenantB = lazy(tenant);

  // 401 and 403 for every operation (restricted keys, members' keys) are proved for all operations at once,
  // from the permission table, in authorization-matrix.test.ts.

  it.each(ID_TAKING.flatMap((operation) => (["id", "slug"] as const).map((by) => [operation.id, by] as const)))(
    "%s: another workspace's %s answers 404 exactly like one that never existed, and it stays unchanged",
    async (id, by) => {
      const a = await tenantA();
      const b = await tenantB();
      const before = await db.workspace.findUniqueOrThrow({ where: { id: a.workspace.id } });
      const foreign = await CALLS[id]!(b.api, by === "id" ? a.workspace.id : a.workspace.slug);
      const missing = await CALLS[id]!(b.api, by === "id" ? `c${randomBytes(12).toString("hex")}` : unique("missing"));
      expect(foreign.response.status).toBe(404);
      expect(missing.response.status).toBe(404);
      expect(withoutRequestId(foreign.error)).toEqual(withoutRequestId(missing.error));
      expect(await db.workspace.findUniqueOrThrow({ where: { id: a.workspace.id } })).toEqual(before);
      expect(await db.workspace.findUniqueOrThrow({ where: { id: b.workspace.id } })).toMatchObject({ name: b.workspace.name });
    },
  );

  it("refuses a body over the size limit with 413", async () => {
    const { api, workspace } = await tenant();
    const { response, error } = await api.PATCH("/api/v1/workspaces/{idOrSlug}", {
      params: { path: { idOrSlug: workspace.id } },
      body: { name: "x".repeat(70_000) },
    });
    expect(response.status).toBe(413);
    expect(error).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("refuses invalid and unknown fields with 422 naming them, and changes nothing", async () => {
    const { api, workspace } = await tenant();
    const cases: [unknown, string][] = [
      [{}, "_"],
      [{ name: "" }, "name"],
      [{ name: "x".repeat(65) }, "name"],
      [{ slug: "ab" }, "slug"],
      [{ slug: "not a slug" }, "slug"],
      [{ slug: "settings" }, "slug"],
      [{ name: "ok", id: "other" }, "id"],
      [{ name: "ok", plan: "enterprise" }, "plan"],
    ];
    for (const [body, field] of cases) {
      // @ts-expect-error -- deliberately outside the typed body
      const { response, error } = await api.PATCH("/api/v1/workspaces/{idOrSlug}", { params: { path: { idOrSlug: workspace.id } }, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify((error as { errors: object }).errors), JSON.stringify(body)).toContain(field);
    }
    expect(await db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).toMatchObject({
      name: workspace.name,
      slug: workspace.slug,
    });
  });

  it("refuses bad query parameters with 422 naming them", async () => {
    const { api } = await tenant();
    for (const [query, field] of [
      [{ limit: 0 }, "limit"],
      [{ cursor: "garbage" }, "cursor"],
      [{ q: "acme" }, "q"],
    ] as const) {
      const { response, error } = await api.GET("/api/v1/workspaces", { params: { query: query as { limit?: number } } });
      expect(response.status, JSON.stringify(query)).toBe(422);
      expect(JSON.stringify((error as { errors: object }).errors)).toContain(field);
    }
  });
});

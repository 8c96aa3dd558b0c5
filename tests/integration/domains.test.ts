import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ApiOperation } from "@/server/api/operation";
import { db } from "@/server/db";
import { replaceTxtLookup, type TxtLookup } from "@/server/domains/dns";
import * as domainOperations from "@/server/domains/operations";
import { apiClient } from "../support/client";
import { lazy, neverExistingId, tenant, withoutRequestId } from "../support/helpers";

type Api = ReturnType<typeof apiClient>;

const OPERATIONS = Object.values(domainOperations) as ApiOperation[];

// This machine has no network: every test that verifies answers DNS itself, and nothing reaches a resolver.
let restoreLookup: (() => void) | undefined;
const lookups: string[] = [];

function answerDns(answer: TxtLookup) {
  restoreLookup?.();
  restoreLookup = replaceTxtLookup(async (name) => {
    lookups.push(name);
    return answer(name);
  });
}

function dnsError(code: string): Error {
  return Object.assign(new Error(`queryTxt ${code} internal resolver detail`), { code });
}

afterEach(() => {
  restoreLookup?.();
  restoreLookup = undefined;
  lookups.length = 0;
});

function uniqueHostname(prefix = "mail"): string {
  return `${prefix}.${randomBytes(5).toString("hex")}.example.com`;
}

async function createDomain(api: Api, hostname = uniqueHostname()) {
  const { data, response } = await api.POST("/api/v1/domains", { body: { hostname } });
  expect(response.status).toBe(201);
  return data!;
}

const CALLS: Record<string, (api: Api, id: string) => Promise<{ response: Response; error?: unknown }>> = {
  listDomains: (api) => api.GET("/api/v1/domains"),
  createDomain: (api) => api.POST("/api/v1/domains", { body: { hostname: uniqueHostname() } }),
  getDomain: (api, id) => api.GET("/api/v1/domains/{id}", { params: { path: { id } } }),
  updateDomain: (api, id) => api.PATCH("/api/v1/domains/{id}", { params: { path: { id } }, body: { hostname: uniqueHostname("renamed") } }),
  deleteDomain: (api, id) => api.DELETE("/api/v1/domains/{id}", { params: { path: { id } } }),
  verifyDomain: (api, id) => api.POST("/api/v1/domains/{id}/verify", { params: { path: { id } } }),
};
const ID_TAKING = OPERATIONS.filter((operation) => operation.params);

describe("domains: the endpoints", () => {
  it("has a call in this file for every domain operation", () => {
    expect(Object.keys(CALLS).sort()).toEqual(OPERATIONS.map((operation) => operation.id).sort());
  });

  it("adds a domain, normalised, pending, with the TXT record to publish", async () => {
    const { api } = await tenant();
    const hostname = uniqueHostname();
    const created = await createDomain(api, ` ${hostname.toUpperCase()}. `);
    expect(created).toEqual({
      id: expect.any(String),
      hostname,
      status: "pending",
      verificationRecord: {
        type: "TXT",
        name: `_heyoo-verification.${hostname}`,
        value: expect.stringMatching(/^heyoo-verification=[A-Za-z0-9_-]{32}$/),
      },
      verifiedAt: null,
      lastCheckedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const read = await api.GET("/api/v1/domains/{id}", { params: { path: { id: created.id } } });
    expect(read.data).toEqual(created);
    // Each domain gets its own value to publish.
    expect((await createDomain(api)).verificationRecord.value).not.toBe(created.verificationRecord.value);
  });

  it("stores unicode names as punycode", async () => {
    const { api } = await tenant();
    const created = await createDomain(api, "Mail.BÜCHER.de");
    expect(created.hostname).toBe("mail.xn--bcher-kva.de");
    expect(created.verificationRecord.name).toBe("_heyoo-verification.mail.xn--bcher-kva.de");
  });

  it("refuses what is not a domain name with a 422 on hostname, and stores nothing", async () => {
    const { api, workspace } = await tenant();
    for (const hostname of [
      "localhost",
      "192.168.1.1",
      "[::1]",
      "https://example.com",
      "example.com/x",
      "example.com:25",
      "-a.example.com",
      "a..example.com",
      "example.123",
      `${"a".repeat(64)}.com`,
      "x".repeat(400),
      "",
    ]) {
      const { response, error } = await api.POST("/api/v1/domains", { body: { hostname } });
      expect(response.status, hostname).toBe(422);
      expect(error, hostname).toMatchObject({ code: "unprocessable_entity", errors: { hostname: [expect.any(String)] } });
    }
    expect(await db.domain.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("changing the hostname starts verification over; the same hostname changes nothing", async () => {
    const { api } = await tenant();
    const created = await createDomain(api);
    answerDns(async () => [[created.verificationRecord.value]]);
    const verified = await api.POST("/api/v1/domains/{id}/verify", { params: { path: { id: created.id } } });
    expect(verified.data?.status).toBe("verified");

    const same = await api.PATCH("/api/v1/domains/{id}", {
      params: { path: { id: created.id } },
      body: { hostname: `${created.hostname.toUpperCase()}.` },
    });
    expect(same.response.status).toBe(200);
    expect(same.data).toMatchObject({
      status: "verified",
      verificationRecord: created.verificationRecord,
      verifiedAt: verified.data!.verifiedAt,
    });

    const hostname = uniqueHostname("news");
    const renamed = await api.PATCH("/api/v1/domains/{id}", { params: { path: { id: created.id } }, body: { hostname } });
    expect(renamed.response.status).toBe(200);
    expect(renamed.data).toMatchObject({ hostname, status: "pending", verifiedAt: null, lastCheckedAt: null });
    expect(renamed.data!.verificationRecord.name).toBe(`_heyoo-verification.${hostname}`);
    expect(renamed.data!.verificationRecord.value).not.toBe(created.verificationRecord.value);
  });

  it("deletes a domain", async () => {
    const { api } = await tenant();
    const created = await createDomain(api);
    expect((await api.DELETE("/api/v1/domains/{id}", { params: { path: { id: created.id } } })).response.status).toBe(204);
    const gone = await api.GET("/api/v1/domains/{id}", { params: { path: { id: created.id } } });
    expect(gone.error).toMatchObject({ status: 404, code: "not_found", detail: "Domain not found." });
    expect((await api.DELETE("/api/v1/domains/{id}", { params: { path: { id: created.id } } })).response.status).toBe(404);
  });
});

describe("domains: verification", () => {
  async function verify(api: Api, id: string) {
    const result = await api.POST("/api/v1/domains/{id}/verify", { params: { path: { id } } });
    expect(result.response.status).toBe(200);
    return result.data!;
  }

  it("marks the domain verified when the TXT record carries the value, also split into chunks", async () => {
    const { api } = await tenant();
    const domain = await createDomain(api);
    const value = domain.verificationRecord.value;
    answerDns(async () => [["v=spf1 -all"], [value.slice(0, 10), value.slice(10)]]);
    const before = Date.now();
    const result = await verify(api, domain.id);
    expect(lookups).toEqual([`_heyoo-verification.${domain.hostname}`]);
    expect(result).toMatchObject({ status: "verified", check: { outcome: "verified" } });
    expect(Date.parse(result.verifiedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(result.lastCheckedAt).toBe(result.verifiedAt);

    // Checking again keeps the moment it became verified.
    const again = await verify(api, domain.id);
    expect(again.verifiedAt).toBe(result.verifiedAt);
    expect(Date.parse(again.lastCheckedAt!)).toBeGreaterThanOrEqual(Date.parse(result.lastCheckedAt!));
  });

  it.each([
    ["no TXT record at the name", () => Promise.reject(dnsError("ENOTFOUND")), "record_not_found"],
    ["no data at the name", () => Promise.reject(dnsError("ENODATA")), "record_not_found"],
    ["records, none with the value", () => Promise.resolve([["heyoo-verification=someone-else"], ["v=spf1 -all"]]), "record_not_found"],
    ["a DNS timeout", () => Promise.reject(dnsError("ETIMEOUT")), "lookup_failed"],
    ["a failing server", () => Promise.reject(dnsError("ESERVFAIL")), "lookup_failed"],
    ["an unexpected error", () => Promise.reject(new TypeError("boom")), "lookup_failed"],
  ] as const)("marks the domain failed on %s (200, never a 500)", async (_case, answer, outcome) => {
    const { api } = await tenant();
    const domain = await createDomain(api);
    answerDns(answer as TxtLookup);
    const result = await verify(api, domain.id);
    expect(result).toMatchObject({ status: "failed", verifiedAt: null, check: { outcome } });
    expect(result.lastCheckedAt).not.toBeNull();
    // The resolver's own message stays on the server.
    expect(result.check.detail).not.toContain("internal resolver detail");
    expect(result.check.detail).not.toContain("boom");
  });

  it("goes from failed to verified and back as the record appears and disappears", async () => {
    const { api } = await tenant();
    const domain = await createDomain(api);
    answerDns(() => Promise.reject(dnsError("ENODATA")));
    expect((await verify(api, domain.id)).status).toBe("failed");
    answerDns(async () => [[domain.verificationRecord.value]]);
    expect((await verify(api, domain.id)).status).toBe("verified");
    answerDns(async () => []);
    expect(await verify(api, domain.id)).toMatchObject({ status: "failed", verifiedAt: null });
  });

  it("does not record a check made for a hostname that was changed meanwhile", async () => {
    const { api } = await tenant();
    const domain = await createDomain(api);
    const hostname = uniqueHostname("moved");
    answerDns(async () => {
      // The domain is renamed while its old record is being looked up.
      await api.PATCH("/api/v1/domains/{id}", { params: { path: { id: domain.id } }, body: { hostname } });
      return [[domain.verificationRecord.value]];
    });
    const result = await verify(api, domain.id);
    expect(result).toMatchObject({ hostname, status: "pending", verifiedAt: null, lastCheckedAt: null });
  });
});

describe("domains: hostnames are unique in a workspace", () => {
  it("answers a duplicate, in any spelling, with a 409 naming it, and creates nothing", async () => {
    const { api, workspace } = await tenant();
    const hostname = uniqueHostname();
    await createDomain(api, hostname);
    for (const spelling of [hostname, hostname.toUpperCase(), `${hostname}.`]) {
      const { response, error } = await api.POST("/api/v1/domains", { body: { hostname: spelling } });
      expect(response.status, spelling).toBe(409);
      expect(error).toMatchObject({
        code: "conflict",
        detail: `The domain "${hostname}" is already in this workspace.`,
        errors: { hostname: ["This domain is already in this workspace."] },
      });
    }
    expect(await db.domain.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it("answers a change to another domain's hostname with a 409 and changes nothing", async () => {
    const { api } = await tenant();
    const first = await createDomain(api);
    const second = await createDomain(api);
    const { response } = await api.PATCH("/api/v1/domains/{id}", {
      params: { path: { id: second.id } },
      body: { hostname: first.hostname },
    });
    expect(response.status).toBe(409);
    expect((await db.domain.findUniqueOrThrow({ where: { id: second.id } })).hostname).toBe(second.hostname);
  });

  it("lets two workspaces add the same domain, each with its own value to publish", async () => {
    const a = await tenant();
    const b = await tenant();
    const hostname = uniqueHostname();
    const inA = await createDomain(a.api, hostname);
    const inB = await createDomain(b.api, hostname);
    expect(inB.verificationRecord.value).not.toBe(inA.verificationRecord.value);
  });

  it("lets one of two concurrent adds of the same domain win", async () => {
    const { api, workspace } = await tenant();
    const hostname = uniqueHostname();
    const results = await Promise.all(
      [hostname, hostname.toUpperCase(), `${hostname}.`].map((spelling) => api.POST("/api/v1/domains", { body: { hostname: spelling } })),
    );
    expect(results.map((result) => result.response.status).sort()).toEqual([201, 409, 409]);
    expect(await db.domain.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });
});

describe("domains: lists", () => {
  it("pages newest first without duplicates or skipped rows while domains are added between pages", async () => {
    const { api } = await tenant();
    const originals: string[] = [];
    for (let i = 0; i < 7; i++) originals.push((await createDomain(api)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { data } = await api.GET("/api/v1/domains", { params: { query: { limit: 3, ...(cursor ? { cursor } : {}) } } });
      seen.push(...data!.data.map((domain) => domain.id));
      cursor = data!.nextCursor ?? undefined;
      pages++;
      await createDomain(api);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...originals].reverse());
    expect(pages).toBe(3);
  });

  it("filters by status and by text in the hostname", async () => {
    const { api } = await tenant();
    const tag = randomBytes(4).toString("hex");
    const verified = await createDomain(api, `verified-${tag}.example.org`);
    const failed = await createDomain(api, `failed-${tag}.example.net`);
    const pending = await createDomain(api, `pending-${tag}.example.org`);
    answerDns(async (name) => (name.includes("verified") ? [[verified.verificationRecord.value]] : []));
    await api.POST("/api/v1/domains/{id}/verify", { params: { path: { id: verified.id } } });
    await api.POST("/api/v1/domains/{id}/verify", { params: { path: { id: failed.id } } });

    const ids = async (query: { status?: "pending" | "verified" | "failed"; q?: string }) =>
      (await api.GET("/api/v1/domains", { params: { query } })).data!.data.map((domain) => domain.id);
    expect(await ids({ status: "verified" })).toEqual([verified.id]);
    expect(await ids({ status: "failed" })).toEqual([failed.id]);
    expect(await ids({ status: "pending" })).toEqual([pending.id]);
    expect(await ids({ q: "EXAMPLE.ORG" })).toEqual([pending.id, verified.id]);
    expect(await ids({ q: "example.org", status: "pending" })).toEqual([pending.id]);
    expect(await ids({ q: "" })).toHaveLength(3);
  });

  it("shows only the caller's workspace", async () => {
    const a = await tenant();
    const b = await tenant();
    const inA = await createDomain(a.api);
    const { data } = await b.api.GET("/api/v1/domains", { params: { query: { q: inA.hostname } } });
    expect(data).toEqual({ data: [], nextCursor: null });
  });
});

describe("domains: refusals", () => {
  // Two tenants shared by this block's tables; every case makes its own rows, and refused calls change nothing.
  const tenantA = lazy(tenant);
  const tenantB = lazy(tenant);

  // 401 and 403 for every operation (restricted keys, members' keys) are proved for all operations at once,
  // from the permission table, in authorization-matrix.test.ts.

  it.each(ID_TAKING.map((operation) => [operation.id] as const))(
    "%s: another workspace's domain answers 404 exactly like one that never existed, and stays unchanged",
    async (id) => {
      const a = await tenantA();
      const b = await tenantB();
      const inA = await createDomain(a.api);
      const before = await db.domain.findUniqueOrThrow({ where: { id: inA.id } });
      answerDns(async () => [[inA.verificationRecord.value]]);

      const foreign = await CALLS[id]!(b.api, inA.id);
      const missing = await CALLS[id]!(b.api, neverExistingId());
      expect(foreign.response.status).toBe(404);
      expect(missing.response.status).toBe(404);
      expect(withoutRequestId(foreign.error)).toEqual(withoutRequestId(missing.error));
      expect(await db.domain.findUniqueOrThrow({ where: { id: inA.id } })).toEqual(before);
      // Not even a DNS lookup betrays that the id exists.
      expect(lookups).toEqual([]);
    },
  );

  it("refuses bodies over the size limit with 413, on create and update", async () => {
    const { api, workspace } = await tenant();
    const domain = await createDomain(api);
    const huge = `${"a".repeat(70_000)}.com`;
    const created = await api.POST("/api/v1/domains", { body: { hostname: huge } });
    const updated = await api.PATCH("/api/v1/domains/{id}", { params: { path: { id: domain.id } }, body: { hostname: huge } });
    for (const { response, error } of [created, updated]) {
      expect(response.status).toBe(413);
      expect(error).toMatchObject({ status: 413, code: "payload_too_large" });
    }
    expect(await db.domain.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it("refuses invalid and unknown fields with 422 naming them", async () => {
    const { api, workspace } = await tenant();
    const domain = await createDomain(api);
    const bodies: [unknown, string][] = [
      [{}, "hostname"],
      [{ hostname: 42 }, "hostname"],
      [{ hostname: uniqueHostname(), status: "verified" }, "status"],
      [{ hostname: uniqueHostname(), verificationToken: "heyoo-verification=mine" }, "verificationToken"],
      [{ hostname: uniqueHostname(), workspaceId: workspace.id }, "workspaceId"],
    ];
    for (const [body, field] of bodies) {
      // @ts-expect-error -- deliberately outside the typed body
      const created = await api.POST("/api/v1/domains", { body });
      // @ts-expect-error -- deliberately outside the typed body
      const updated = await api.PATCH("/api/v1/domains/{id}", { params: { path: { id: domain.id } }, body });
      for (const { response, error } of [created, updated]) {
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(JSON.stringify((error as { errors: object }).errors)).toContain(field);
      }
    }
    expect(await db.domain.findUniqueOrThrow({ where: { id: domain.id } })).toMatchObject({ hostname: domain.hostname, status: "pending" });
    expect(await db.domain.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it("refuses bad query parameters with 422 naming them", async () => {
    const { api } = await tenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 0 }, "limit"],
      [{ limit: 1000 }, "limit"],
      [{ cursor: "garbage" }, "cursor"],
      [{ status: "active" }, "status"],
      [{ q: "exa%" }, "q"],
      [{ q: "x".repeat(254) }, "q"],
      [{ hostname: "x" }, "hostname"],
    ];
    for (const [query, field] of cases) {
      const { response, error } = await api.GET("/api/v1/domains", { params: { query: query as { limit?: number } } });
      expect(response.status, JSON.stringify(query)).toBe(422);
      expect(JSON.stringify((error as { errors: object }).errors)).toContain(field);
    }
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import type { HeyooClient } from "@/client";
import { listApiKeys } from "@/server/api-keys/read-api-keys";
import { API_KEY_SORTS, listApiKeysQuerySchema, type ApiKeySort } from "@/server/api-keys/schemas";
import type { KeyKind } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { addMember, createAccount, principalOf } from "../support/factories";

// GET /api/v1/api-keys a page at a time: under every sort, with and without filters, the pages together hold
// every matching key exactly once, in the documented order (nulls last); a cursor from elsewhere is a 422;
// another workspace's keys never show.

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 12);

interface Row {
  id: string;
  name: string;
  kind: KeyKind;
  ownerId: string;
  machine: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** Several keys take turns, so the many pages stay under the per-key rate limit. */
let clients: HeyooClient[];
let turn = 0;
let ownerPrincipal: Principal;
let rows: Row[];
let memberId: string;
let otherWorkspaceKeyIds: string[];
let otherOwnerId: string;

/** Plain code-point order, the order cuids (lowercase letters and digits) have in PostgreSQL too. */
const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const time = (date: Date | null) => date?.getTime() ?? 0;

/** The documented orders, written independently of the implementation. */
const EXPECTED_ORDER: Record<ApiKeySort, (a: Row, b: Row) => number> = {
  created: (a, b) => time(b.createdAt) - time(a.createdAt) || -byId(a, b),
  last_used: (a, b) =>
    a.lastUsedAt && b.lastUsedAt
      ? time(b.lastUsedAt) - time(a.lastUsedAt) || -byId(a, b)
      : a.lastUsedAt
        ? -1
        : b.lastUsedAt
          ? 1
          : -byId(a, b),
  expires: (a, b) =>
    a.expiresAt && b.expiresAt ? time(a.expiresAt) - time(b.expiresAt) || byId(a, b) : a.expiresAt ? -1 : b.expiresAt ? 1 : byId(a, b),
};

type Query = { sort?: ApiKeySort; q?: string; kind?: KeyKind; owner?: string; limit?: number; cursor?: string };

async function page(query: Query) {
  const heyoo = clients[turn++ % clients.length]!;
  const { data, error, response } = await heyoo.GET("/api/v1/api-keys", { params: { query } });
  return { status: response.status, data, error };
}

/** Every page of a query, following nextCursor; fails on a repeated cursor rather than looping. */
async function allPages(query: Omit<Query, "cursor">) {
  const ids: string[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const result = await page({ ...query, cursor });
    expect(result.status, JSON.stringify(result.error)).toBe(200);
    expect(result.data!.data.length).toBeLessThanOrEqual(query.limit ?? 25);
    ids.push(...result.data!.data.map((key) => key.id));
    cursor = result.data!.nextCursor ?? undefined;
    if (cursor) {
      expect(seen.has(cursor)).toBe(false);
      seen.add(cursor);
      // A full page precedes every cursor.
      expect(result.data!.data.length).toBe(query.limit ?? 25);
    }
    pages += 1;
  } while (cursor && pages < 100);
  return { ids, pages };
}

beforeAll(async () => {
  const { user, workspace } = await createAccount("Olivia Owner");
  const owner = await principalOf(user.id, workspace.id);
  ownerPrincipal = owner;
  const member = await addMember(workspace.id, "member", "Max Member");
  memberId = member.user.id;
  const memberPrincipal = await principalOf(member.user.id, workspace.id);
  const listers = [];
  for (let index = 0; index < 6; index += 1) listers.push(await mintKey(owner, { name: `Lister ${index}` }));
  clients = listers.map((lister) => apiClient(lister.key));
  // Using a key stamps its lastUsedAt unless it is under a minute old: a time ahead of ours keeps the listers'
  // own requests from moving them in the last-used order while the test pages through it.
  await db.apiKey.updateMany({
    where: { id: { in: listers.map((lister) => lister.id) } },
    data: { lastUsedAt: new Date(Date.now() + DAY) },
  });

  const kinds: KeyKind[] = ["all", "read_only", "restricted"];
  const made: string[] = [];
  for (let index = 0; index < 21; index += 1) {
    const principal = index % 2 === 1 ? memberPrincipal : owner;
    const kind = kinds[index % 3]!;
    const created = await mintKey(principal, {
      name: index % 5 === 0 ? `Deploy_bot ${index}` : `Key ${index}`,
      kind,
      permissions: kind === "restricted" ? ["campaigns.read"] : undefined,
      owner: index % 7 === 3 && principal === owner ? "machine" : "you",
    });
    made.push(created.id);
  }
  // Sort keys with ties (several keys share a time), gaps (never used, no expiry) and expired keys; several
  // keys share a creation time too, so the id breaks ties in every order.
  await Promise.all(
    made.map((id, index) =>
      db.apiKey.update({
        where: { id },
        data: {
          createdAt: new Date(T0 + Math.floor(index / 2) * DAY),
          lastUsedAt: index % 4 === 0 ? null : new Date(T0 + (index % 3) * 60_000),
          expiresAt: index % 5 === 0 ? null : new Date(T0 + ((index % 4) - 1) * 30 * DAY),
        },
      }),
    ),
  );

  rows = (
    await db.apiKey.findMany({
      where: { workspaceId: workspace.id },
      select: {
        id: true,
        name: true,
        kind: true,
        ownerId: true,
        createdAt: true,
        lastUsedAt: true,
        expiresAt: true,
        membership: { select: { user: { select: { isMachine: true } } } },
      },
    })
  ).map(({ membership, ...row }) => ({ ...row, machine: membership.user.isMachine }));

  // Another workspace, with keys that sort everywhere among ours.
  const other = await createAccount("Someone Else");
  otherOwnerId = other.user.id;
  const otherOwner = await principalOf(other.user.id, other.workspace.id);
  otherWorkspaceKeyIds = [];
  for (const name of ["Key 1", "Deploy_bot 0", "Other"]) otherWorkspaceKeyIds.push((await mintKey(otherOwner, { name })).id);
  await db.apiKey.updateMany({
    where: { id: { in: otherWorkspaceKeyIds } },
    data: { lastUsedAt: new Date(T0 + 60_000), expiresAt: new Date(T0 + DAY) },
  });
});

describe("GET /api/v1/api-keys, a page at a time", () => {
  it("has the machine key, expired keys, ties and gaps the sorts need", () => {
    expect(rows.length).toBe(27);
    expect(rows.some((row) => row.machine)).toBe(true);
    expect(rows.filter((row) => row.lastUsedAt === null).length).toBeGreaterThan(2);
    expect(rows.filter((row) => row.expiresAt === null).length).toBeGreaterThan(2);
    expect(rows.filter((row) => row.expiresAt && row.expiresAt.getTime() < Date.now()).length).toBeGreaterThan(2);
  });

  for (const sort of API_KEY_SORTS) {
    for (const limit of [1, 4, 7, 100]) {
      it(`sort=${sort}, limit=${limit}: the pages cover every key exactly once, in order`, async () => {
        const { ids, pages } = await allPages({ sort, limit });
        expect(ids).toEqual([...rows].sort(EXPECTED_ORDER[sort]).map((row) => row.id));
        expect(pages).toBe(Math.max(1, Math.ceil(rows.length / limit)));
      });
    }
  }

  it("defaults to newest first, 25 a page", async () => {
    const first = await page({});
    expect(first.status).toBe(200);
    expect(first.data!.data.map((key) => key.id)).toEqual(
      [...rows]
        .sort(EXPECTED_ORDER.created)
        .slice(0, 25)
        .map((row) => row.id),
    );
    expect(first.data!.nextCursor).not.toBeNull();
  });

  const filters: { name: string; query: Query; keep: (row: Row) => boolean }[] = [
    {
      name: "q (case-insensitive, _ is no wildcard)",
      query: { q: "deploy_BOT" },
      keep: (row) => row.name.toLowerCase().includes("deploy_bot"),
    },
    { name: "q that only a wildcard would match", query: { q: "Key_1" }, keep: () => false },
    { name: "kind", query: { kind: "read_only" }, keep: (row) => row.kind === "read_only" },
    { name: "owner = a user id", query: { owner: "" }, keep: (row) => row.ownerId === memberId },
    { name: 'owner = "machine"', query: { owner: "machine" }, keep: (row) => row.machine },
    {
      name: "kind and owner together",
      query: { kind: "restricted", owner: "" },
      keep: (row) => row.kind === "restricted" && row.ownerId === memberId,
    },
  ];
  for (const filter of filters) {
    for (const sort of API_KEY_SORTS) {
      it(`${filter.name}, sort=${sort}: only the matching keys, each once`, async () => {
        const query = { ...filter.query, ...(filter.query.owner === "" ? { owner: memberId } : {}) };
        const expected = rows
          .filter(filter.keep)
          .sort(EXPECTED_ORDER[sort])
          .map((row) => row.id);
        const { ids } = await allPages({ ...query, sort, limit: 2 });
        expect(ids).toEqual(expected);
        if (filter.name.startsWith("q that")) expect(ids).toEqual([]);
        else expect(ids.length).toBeGreaterThan(0);
      });
    }
  }

  it("never shows another workspace's keys, whatever the filter", async () => {
    const everything = [
      ...(await allPages({ limit: 3 })).ids,
      ...(await allPages({ q: "Key 1", sort: "last_used" })).ids,
      ...(await allPages({ sort: "expires", limit: 5 })).ids,
    ];
    for (const id of otherWorkspaceKeyIds) expect(everything).not.toContain(id);
    expect((await allPages({ owner: otherOwnerId })).ids).toEqual([]);
  });

  const badCursor = (text: string) => Buffer.from(text).toString("base64url");
  const invalid: { name: string; query: () => Promise<Query> }[] = [
    { name: "not base64 of a cursor", query: async () => ({ cursor: "not-a-cursor" }) },
    { name: "an unknown sort inside", query: async () => ({ cursor: badCursor(`name|2026-11-01T12:00:00.000Z|${rows[0]!.id}`) }) },
    {
      name: "a date PostgreSQL cannot hold",
      query: async () => ({ cursor: badCursor(`created|+275760-09-13T00:00:00.000Z|${rows[0]!.id}`) }),
    },
    { name: "a null position under created", query: async () => ({ cursor: badCursor(`created||${rows[0]!.id}`) }) },
    { name: "an id with SQL in it", query: async () => ({ cursor: badCursor(`created|2026-11-01T12:00:00.000Z|x' OR 1=1`) }) },
    {
      name: "another sort's cursor",
      query: async () => ({ sort: "expires", cursor: (await page({ sort: "last_used", limit: 2 })).data!.nextCursor! }),
    },
  ];
  for (const { name, query } of invalid) {
    it(`a cursor with ${name} is a 422 naming the cursor`, async () => {
      const result = await page(await query());
      expect(result.status).toBe(422);
      expect(result.error).toMatchObject({ code: "unprocessable_entity", errors: { cursor: [expect.any(String)] } });
    });
  }

  it("refuses bad sorts, kinds, owners and limits with a 422 naming the parameter", async () => {
    for (const [query, field] of [
      [{ sort: "name" }, "sort"],
      [{ kind: "admin" }, "kind"],
      [{ owner: "not an id!" }, "owner"],
      [{ limit: 0 }, "limit"],
      [{ limit: 101 }, "limit"],
      [{ q: "x".repeat(65) }, "q"],
    ] as const) {
      const result = await page(query as Query);
      expect(result.status, JSON.stringify(query)).toBe(422);
      expect(Object.keys((result.error as { errors?: object }).errors ?? {})).toEqual([field]);
    }
  });

  it("the service pages the same way for the settings page", async () => {
    const first = await listApiKeys(ownerPrincipal, listApiKeysQuerySchema.parse({ sort: "last_used", limit: "5" }));
    const second = await listApiKeys(
      ownerPrincipal,
      listApiKeysQuerySchema.parse({ sort: "last_used", limit: "5", cursor: first.nextCursor }),
    );
    expect([...first.data, ...second.data].map((key) => key.id)).toEqual(
      [...rows]
        .sort(EXPECTED_ORDER.last_used)
        .slice(0, 10)
        .map((row) => row.id),
    );
  });
});

describe("PATCH /api/v1/api-keys/{id} with expiresAt", () => {
  it("sets, keeps and clears a key's expiry; a past date is a 422 that changes nothing", async () => {
    const id = (await mintKey(ownerPrincipal, { name: "Expiring" })).id;
    const heyoo = clients[0]!;
    const patch = (body: Record<string, unknown>) =>
      heyoo.PATCH("/api/v1/api-keys/{id}", { params: { path: { id } }, body: body as never });

    const set = await patch({ expiresAt: "2027-06-30T00:00:00Z" });
    expect(set.response.status).toBe(200);
    expect(set.data?.expiresAt).toBe("2027-06-30T00:00:00.000Z");

    const renamed = await patch({ name: "Expiring, renamed" });
    expect(renamed.data?.expiresAt).toBe("2027-06-30T00:00:00.000Z");

    const past = await patch({ expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.response.status).toBe(422);
    expect(past.error).toMatchObject({ errors: { expiresAt: ["Choose a date in the future."] } });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).expiresAt?.toISOString()).toBe("2027-06-30T00:00:00.000Z");

    const cleared = await patch({ expiresAt: null });
    expect(cleared.response.status).toBe(200);
    expect(cleared.data?.expiresAt).toBeNull();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).expiresAt).toBeNull();
  });
});

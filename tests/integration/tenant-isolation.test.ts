import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operation } from "@/server/api/operation";
import { OPERATIONS } from "@/server/api/registry";
import { replaceTxtLookup } from "@/server/domains/dns";
import { mintKey } from "../support/api";
import { createTeam } from "../support/factories";
import { neverExistingId, withoutRequestId } from "../support/helpers";
import {
  PATH_ID_SOURCES,
  idSource,
  idSourceKey,
  keyPool,
  pathOf,
  pathParams,
  schemaFields,
  seedResources,
  send,
  validBody,
  type Resources,
} from "../support/operation-calls";
import { workspaceSnapshot, type WorkspaceSnapshot } from "../support/workspace-snapshot";

// Two workspaces, A and B, each with one of every resource (a campaign carrying a tag and events, a tag, a
// domain, an API key, the workspace itself). B's owner holds every permission, and still cannot reach any of
// A's rows: every id-taking operation (generated from the registry) answers A's id exactly as it answers an
// id that never existed, ids of A inside bodies and queries are treated as unknown, and no list shows A.
// A's rows are compared before and after each call.

type Team = Awaited<ReturnType<typeof createTeam>>;
interface Tenant {
  team: Team;
  resources: Resources;
  /** Every id of the workspace an answer to another workspace must never carry. */
  secrets: string[];
}

let a: Tenant;
let b: Tenant;
/** Keys of B's owner with every permission. */
let bKey: () => Promise<string>;
let restoreDns: () => void;

async function makeTenant(label: string): Promise<Tenant> {
  const team = await createTeam();
  const resources = await seedResources(team.owner, label);
  const secrets = [...Object.values(resources), team.owner.user.id, team.member.user.id, team.memberMembershipId];
  return { team, resources, secrets };
}

beforeAll(async () => {
  restoreDns = replaceTxtLookup(async () => []);
  [a, b] = [await makeTenant("Alpha"), await makeTenant("Bravo")];
  bKey = keyPool(b.team.owner, { name: "B owner, all permissions" });
});

afterAll(() => restoreDns?.());

/** The ids of `tenant` found in `text` as whole JSON strings. */
function leakedIds(text: string, tenant: Tenant): string[] {
  return tenant.secrets.filter((id) => text.includes(JSON.stringify(id)));
}

async function expectUnchanged(workspaceId: string, before: WorkspaceSnapshot) {
  expect(await workspaceSnapshot(workspaceId)).toEqual(before);
}

const ID_TAKING = OPERATIONS.filter((operation) => pathParams(operation).length > 0);

describe("tenant isolation: the id sources cover every route", () => {
  it("has an id source for every {param} of every registered path", () => {
    const missing = OPERATIONS.flatMap((operation) =>
      pathParams(operation)
        .map((param) => idSourceKey(operation, param))
        .filter((key) => !(key in PATH_ID_SOURCES)),
    );
    expect(missing, "add these to PATH_ID_SOURCES in tests/support/operation-calls.ts").toEqual([]);
    // And no stale entry: every source is used by some route.
    const used = new Set(OPERATIONS.flatMap((operation) => pathParams(operation).map((param) => idSourceKey(operation, param))));
    expect(Object.keys(PATH_ID_SOURCES).filter((key) => !used.has(key))).toEqual([]);
  });
});

// One case per id-taking operation × path parameter × way of naming A's resource (the workspace also by
// slug). The other parameters name B's own resources, so A's id is the only thing wrong with the request.
interface PathCase {
  label: string;
  operation: Operation;
  param: string;
  aValue: (tenant: Tenant) => string;
}

const PATH_CASES: PathCase[] = ID_TAKING.flatMap((operation) =>
  pathParams(operation).flatMap((param) => {
    const source = PATH_ID_SOURCES[idSourceKey(operation, param)];
    const ways: [string, (tenant: Tenant) => string][] = [[`A's ${source ?? param}`, (tenant) => tenant.resources[idSource(operation, param)]]];
    if (source === "workspaceId") ways.push(["A's slug", (tenant) => tenant.resources.workspaceSlug]);
    return ways.map(([way, aValue]) => ({ label: `${operation.method} ${operation.path} with {${param}} = ${way}`, operation, param, aValue }));
  }),
);

describe("tenant isolation: B's owner key on A's ids in the path", () => {
  it.each(PATH_CASES.map((pathCase) => [pathCase.label, pathCase] as const))("%s: 404, as for an id that never existed", async (_, { operation, param, aValue }) => {
    const key = await bKey();
    const own = Object.fromEntries(pathParams(operation).map((name) => [name, b.resources[idSource(operation, name)]]));
    const body = validBody(operation, b.resources);
    const [aBefore, bBefore] = [await workspaceSnapshot(a.resources.workspaceId), await workspaceSnapshot(b.resources.workspaceId)];

    const withA = await send(key, operation.method, pathOf(operation, { ...own, [param]: aValue(a) }), { body });
    const withNever = await send(key, operation.method, pathOf(operation, { ...own, [param]: neverExistingId() }), { body });

    expect(withA.status, withA.text).toBe(404);
    expect(withNever.status, withNever.text).toBe(404);
    expect(withA.headers.get("content-type")).toBe("application/problem+json");
    expect(withoutRequestId(withA.json)).toEqual(withoutRequestId(withNever.json));
    expect(leakedIds(withA.text, a)).toEqual([]);
    await expectUnchanged(a.resources.workspaceId, aBefore);
    await expectUnchanged(b.resources.workspaceId, bBefore);
  });
});

// ---- Ids inside bodies and queries. Every field of a body or query schema whose name ends in Id or Ids is an
// id of some resource; each must be listed here with how to call it, so a new one fails until it is covered.

type IdFieldCall = (ids: { tagId: string; campaignId: string }) => { query?: Record<string, string>; body?: unknown };

const ID_FIELDS: Record<string, { source: "tagId" | "campaignId"; call: IdFieldCall }> = {
  "createCampaign body.tagIds": {
    source: "tagId",
    call: ({ tagId }) => ({ body: { name: "Cross-tenant", subject: "Hello", tagIds: [b.resources.tagId, tagId] } }),
  },
  "updateCampaign body.tagIds": { source: "tagId", call: ({ tagId }) => ({ body: { tagIds: [b.resources.tagId, tagId] } }) },
  "listCampaigns query.tagId": { source: "tagId", call: ({ tagId }) => ({ query: { tagId } }) },
  "getAnalytics query.campaignId": { source: "campaignId", call: ({ campaignId }) => ({ query: { campaignId, groupBy: "campaign" } }) },
  "getAnalytics query.tagId": { source: "tagId", call: ({ tagId }) => ({ query: { tagId, groupBy: "campaign" } }) },
};

function idFieldsOf(operation: Operation): string[] {
  const fields = (where: "body" | "query") =>
    schemaFields(operation[where])
      .filter((name) => /Ids?$/.test(name))
      .map((name) => `${operation.id} ${where}.${name}`);
  return [...fields("body"), ...fields("query")];
}

describe("tenant isolation: A's ids inside bodies and queries", () => {
  it("covers every id field of every body and query schema", () => {
    expect(OPERATIONS.flatMap(idFieldsOf).sort()).toEqual(Object.keys(ID_FIELDS).sort());
  });

  it.each(Object.keys(ID_FIELDS))("%s with A's id is answered as with an id that never existed", async (name) => {
    const { source, call } = ID_FIELDS[name]!;
    const operation = OPERATIONS.find((candidate) => candidate.id === name.split(" ")[0])!;
    const key = await bKey();
    const path = pathOf(operation, Object.fromEntries(pathParams(operation).map((param) => [param, b.resources[idSource(operation, param)]])));
    const [aBefore, bBefore] = [await workspaceSnapshot(a.resources.workspaceId), await workspaceSnapshot(b.resources.workspaceId)];

    const aIds = { tagId: a.resources.tagId, campaignId: a.resources.campaignId };
    const neverIds = { tagId: neverExistingId(), campaignId: neverExistingId() };
    const withA = await send(key, operation.method, path, call(aIds));
    const withNever = await send(key, operation.method, path, call({ ...aIds, [source]: neverIds[source] }));

    expect(withA.status, withA.text).toBe(withNever.status);
    expect(withoutRequestId(withA.json)).toEqual(withoutRequestId(withNever.json));
    expect(leakedIds(withA.text, a)).toEqual([]);
    if (operation.method === "GET") {
      // A filter by another workspace's id matches nothing of theirs (an empty page) or is an unknown id (404).
      if (withA.status === 200) expect((withA.json as { data: unknown[] }).data).toEqual([]);
      else expect(withA.status).toBe(404);
    } else {
      // Writes naming A's tag are refused whole: B's campaign keeps its tags, nothing is created.
      expect(withA.status).toBe(404);
      await expectUnchanged(b.resources.workspaceId, bBefore);
    }
    await expectUnchanged(a.resources.workspaceId, aBefore);
  });
});

// ---- Lists: every GET without path parameters, called by B, shows nothing of A's; the same call with A's key
// does show A's ids, so the check is not vacuous.

const LIST_QUERIES: Record<string, Record<string, string>> = {
  listCampaigns: { limit: "100" },
  listTags: { limit: "100" },
  listDomains: { limit: "100" },
  listWorkspaces: { limit: "100" },
  getAnalytics: { groupBy: "campaign,day" },
};

const LISTS = OPERATIONS.filter((operation) => operation.method === "GET" && pathParams(operation).length === 0);

describe("tenant isolation: lists", () => {
  it.each(LISTS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))("%s with B's key shows none of A's ids", async (_, operation) => {
    const query = LIST_QUERIES[operation.id] ?? {};
    const fromB = await send(await bKey(), "GET", operation.path, { query });
    expect(fromB.status, fromB.text).toBe(200);
    expect(leakedIds(fromB.text, a)).toEqual([]);
    // A's own key does see A's ids in the same list: the check above would have caught them.
    const aKey = (await mintKey(a.team.owner, { name: "A owner", kind: "all" })).key;
    const fromA = await send(aKey, "GET", operation.path, { query });
    expect(fromA.status).toBe(200);
    expect(leakedIds(fromA.text, a).length, `${operation.id} shows A's rows to A`).toBeGreaterThan(0);
    expect(leakedIds(fromA.text, b)).toEqual([]);
  });

  it("has B's analytics count B's events only", async () => {
    const fromB = await send(await bKey(), "GET", "/api/v1/analytics", { query: { groupBy: "campaign" } });
    expect(fromB.json).toMatchObject({ totals: { sent: 1, opened: 1, clicked: 1 }, data: [{ campaignId: b.resources.campaignId, sent: 1, opened: 1, clicked: 1 }] });
    expect((fromB.json as { data: unknown[] }).data).toHaveLength(1);
  });

  it("left every one of A's resources in place and working", async () => {
    const aKey = (await mintKey(a.team.owner, { name: "A owner check", kind: "all" })).key;
    for (const operation of OPERATIONS.filter((candidate) => candidate.method === "GET" && pathParams(candidate).length > 0)) {
      const path = pathOf(operation, Object.fromEntries(pathParams(operation).map((param) => [param, a.resources[idSource(operation, param)]])));
      const answer = await send(aKey, "GET", path);
      expect(answer.status, `${operation.id}: ${answer.text}`).toBe(200);
    }
  });
});

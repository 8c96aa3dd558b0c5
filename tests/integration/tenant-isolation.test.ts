import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_WORKSPACE_PARAM } from "@/server/api/handle";
import type { ApiOperation } from "@/server/api/operation";
import { OPERATIONS } from "@/server/api/registry";
import { db } from "@/server/db";
import { replaceTxtLookup } from "@/server/domains/dns";
import { DOOR_NAMES, SAME_ORIGIN, SESSION_COOKIE, doorOf, sendThrough, sessionCookie, type Door, type DoorName } from "../support/doors";
import { createTeam, PASSWORD, unique } from "../support/factories";
import { neverExistingId, withoutRequestId } from "../support/helpers";
import { asNextSeesIt, inRequestScope } from "../support/next-request";
import {
  PATH_ID_SOURCES,
  idSource,
  idSourceKey,
  ownPath,
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
// A's rows, through either door (an API key, or a browser session naming B with ?workspace=): every id-taking
// operation (generated from the registry) answers A's id exactly as it answers an id that never existed, ids
// of A inside bodies and queries are treated as unknown, and no list shows A. A session naming A's workspace
// gets what a workspace that never existed gets. A's rows are compared before and after each call.

type Team = Awaited<ReturnType<typeof createTeam>>;
interface Tenant {
  team: Team;
  resources: Resources;
  /** Every id of the workspace an answer to another workspace must never carry. */
  secrets: string[];
}

let a: Tenant;
let b: Tenant;
/** B's owner's ways in: keys with every permission, and a browser session. And A's owner's, to see A's rows. */
let bDoors: Record<DoorName, Door>;
let aDoors: Record<DoorName, Door>;
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
  bDoors = { key: doorOf("key", b.team.owner), session: doorOf("session", b.team.owner) };
  aDoors = { key: doorOf("key", a.team.owner), session: doorOf("session", a.team.owner) };
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
  operation: ApiOperation;
  param: string;
  aValue: (tenant: Tenant) => string;
}

const PATH_CASES: PathCase[] = ID_TAKING.flatMap((operation) =>
  pathParams(operation).flatMap((param) => {
    const source = PATH_ID_SOURCES[idSourceKey(operation, param)];
    const ways: [string, (tenant: Tenant) => string][] = [
      [`A's ${source ?? param}`, (tenant) => tenant.resources[idSource(operation, param)]],
    ];
    if (source === "workspaceId") ways.push(["A's slug", (tenant) => tenant.resources.workspaceSlug]);
    return ways.map(([way, aValue]) => ({
      label: `${operation.method} ${operation.path} with {${param}} = ${way}`,
      operation,
      param,
      aValue,
    }));
  }),
);

describe.each(DOOR_NAMES)("tenant isolation: B's owner (%s door) on A's ids in the path", (door) => {
  it.each(PATH_CASES.map((pathCase) => [pathCase.label, pathCase] as const))(
    "%s: 404, as for an id that never existed",
    async (_, { operation, param, aValue }) => {
      const pass = await bDoors[door].pass(operation.method);
      const own = Object.fromEntries(pathParams(operation).map((name) => [name, b.resources[idSource(operation, name)]]));
      const body = validBody(operation, b.resources);
      const [aBefore, bBefore] = [await workspaceSnapshot(a.resources.workspaceId), await workspaceSnapshot(b.resources.workspaceId)];

      const withA = await sendThrough(pass, operation.method, pathOf(operation, { ...own, [param]: aValue(a) }), { body });
      const withNever = await sendThrough(pass, operation.method, pathOf(operation, { ...own, [param]: neverExistingId() }), { body });

      expect(withA.status, withA.text).toBe(404);
      expect(withNever.status, withNever.text).toBe(404);
      expect(withA.headers.get("content-type")).toBe("application/problem+json");
      expect(withoutRequestId(withA.json)).toEqual(withoutRequestId(withNever.json));
      expect(leakedIds(withA.text, a)).toEqual([]);
      await expectUnchanged(a.resources.workspaceId, aBefore);
      await expectUnchanged(b.resources.workspaceId, bBefore);
    },
  );
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

function idFieldsOf(operation: ApiOperation): string[] {
  const fields = (where: "body" | "query") =>
    schemaFields(operation[where])
      .filter((name) => /Ids?$/.test(name))
      .map((name) => `${operation.id} ${where}.${name}`);
  return [...fields("body"), ...fields("query")];
}

describe("tenant isolation: the id fields of bodies and queries", () => {
  it("covers every id field of every body and query schema", () => {
    expect(OPERATIONS.flatMap(idFieldsOf).sort()).toEqual(Object.keys(ID_FIELDS).sort());
  });
});

describe.each(DOOR_NAMES)("tenant isolation: B's owner (%s door) with A's ids inside bodies and queries", (door) => {
  it.each(Object.keys(ID_FIELDS))("%s with A's id is answered as with an id that never existed", async (name) => {
    const { source, call } = ID_FIELDS[name]!;
    const operation = OPERATIONS.find((candidate) => candidate.id === name.split(" ")[0])!;
    const pass = await bDoors[door].pass(operation.method);
    const path = pathOf(
      operation,
      Object.fromEntries(pathParams(operation).map((param) => [param, b.resources[idSource(operation, param)]])),
    );
    const [aBefore, bBefore] = [await workspaceSnapshot(a.resources.workspaceId), await workspaceSnapshot(b.resources.workspaceId)];

    const aIds = { tagId: a.resources.tagId, campaignId: a.resources.campaignId };
    const neverIds = { tagId: neverExistingId(), campaignId: neverExistingId() };
    const withA = await sendThrough(pass, operation.method, path, call(aIds));
    const withNever = await sendThrough(pass, operation.method, path, call({ ...aIds, [source]: neverIds[source] }));

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

// ---- Lists: every GET without path parameters, called by B, shows nothing of A's; the same call through A's
// same door does show A's ids, so the check is not vacuous.

const LIST_QUERIES: Record<string, Record<string, string>> = {
  listCampaigns: { limit: "100" },
  listTags: { limit: "100" },
  listDomains: { limit: "100" },
  listWorkspaces: { limit: "100" },
  getAnalytics: { groupBy: "campaign,day" },
};

const LISTS = OPERATIONS.filter((operation) => operation.method === "GET" && pathParams(operation).length === 0);

describe.each(DOOR_NAMES)("tenant isolation: lists through the %s door", (door) => {
  it.each(LISTS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s as B shows none of A's ids",
    async (_, operation) => {
      const query = LIST_QUERIES[operation.id] ?? {};
      const fromB = await sendThrough(await bDoors[door].pass("GET"), "GET", operation.path, { query });
      expect(fromB.status, fromB.text).toBe(200);
      expect(leakedIds(fromB.text, a)).toEqual([]);
      // A's owner, through the same door, does see A's ids in the same list: the check above would have caught them.
      const fromA = await sendThrough(await aDoors[door].pass("GET"), "GET", operation.path, { query });
      expect(fromA.status).toBe(200);
      expect(leakedIds(fromA.text, a).length, `${operation.id} shows A's rows to A`).toBeGreaterThan(0);
      expect(leakedIds(fromA.text, b)).toEqual([]);
    },
  );

  it("has B's analytics count B's events only", async () => {
    const fromB = await sendThrough(await bDoors[door].pass("GET"), "GET", "/api/v1/analytics", { query: { groupBy: "campaign" } });
    expect(fromB.json).toMatchObject({
      totals: { sent: 1, opened: 1, clicked: 1 },
      data: [{ campaignId: b.resources.campaignId, sent: 1, opened: 1, clicked: 1 }],
    });
    expect((fromB.json as { data: unknown[] }).data).toHaveLength(1);
  });
});

// ---- The session door names its workspace in the query: naming A's, of which B is not a member, gets what a
// workspace that never existed gets, on every operation, and changes nothing.

describe("tenant isolation: B's session naming A's workspace in ?workspace=", () => {
  it.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s: 404, as for a slug that never existed",
    async (_, operation) => {
      const pass = await bDoors.session.pass(operation.method);
      const path = ownPath(operation, b.resources);
      const body = validBody(operation, b.resources);
      const [aBefore, bBefore] = [await workspaceSnapshot(a.resources.workspaceId), await workspaceSnapshot(b.resources.workspaceId)];

      const withA = await sendThrough(pass, operation.method, path, {
        body,
        query: { [SESSION_WORKSPACE_PARAM]: a.resources.workspaceSlug },
      });
      const withNever = await sendThrough(pass, operation.method, path, { body, query: { [SESSION_WORKSPACE_PARAM]: unique("never") } });

      expect(withA.status, withA.text).toBe(404);
      expect(withNever.status, withNever.text).toBe(404);
      expect(withoutRequestId(withA.json)).toEqual(withoutRequestId(withNever.json));
      expect(leakedIds(withA.text, a)).toEqual([]);
      await expectUnchanged(a.resources.workspaceId, aBefore);
      await expectUnchanged(b.resources.workspaceId, bBefore);
    },
  );
});

// ---- The session door of these tests is the real one: the cookie is what sign-in sets, and Auth.js and the
// Session row decide.

describe("tenant isolation: the session door is the app's", () => {
  it("takes the cookie POST /api/account/sign-in sets, which carries what the minted cookie carries", async () => {
    const { POST: signIn } = await import("@/app/api/account/sign-in/route");
    const request = asNextSeesIt(
      new Request(`${SAME_ORIGIN}/api/account/sign-in`, {
        method: "POST",
        headers: { origin: SAME_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ email: b.team.owner.user.email, password: PASSWORD }),
      }),
    );
    const answer = await inRequestScope(request, signIn);
    expect(answer.status, await answer.clone().text()).toBe(200);
    const real = answer.headers.getSetCookie().find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
    expect(real).toBeDefined();
    const realCookie = real!.split(";")[0]!;
    const minted = await sessionCookie(b.team.owner.user);

    const claims = async (cookie: string) =>
      decode({ token: cookie.slice(SESSION_COOKIE.length + 1), secret: process.env.AUTH_SECRET!, salt: SESSION_COOKIE });
    const [realClaims, mintedClaims] = [await claims(realCookie), await claims(minted)];
    expect(Object.keys(realClaims!).sort()).toEqual(Object.keys(mintedClaims!).sort());
    expect(realClaims).toMatchObject({ sub: b.team.owner.user.id, sid: expect.any(String) });
    expect(await db.session.count({ where: { id: realClaims!.sid as string, userId: b.team.owner.user.id } })).toBe(1);

    for (const cookie of [realCookie, minted]) {
      const me = await send(undefined, "GET", "/api/v1/me", {
        headers: { cookie },
        query: { [SESSION_WORKSPACE_PARAM]: b.resources.workspaceSlug },
      });
      expect(me.status, me.text).toBe(200);
      expect(me.json).toMatchObject({ workspace: { id: b.resources.workspaceId } });
    }
  });

  it("refuses the same cookie once its Session row is gone, and a write without a same-site Origin", async () => {
    const cookie = await sessionCookie(b.team.owner.user);
    const query = { [SESSION_WORKSPACE_PARAM]: b.resources.workspaceSlug };
    expect((await send(undefined, "GET", "/api/v1/me", { headers: { cookie }, query })).status).toBe(200);
    const crossSite = await send(undefined, "POST", "/api/v1/tags", {
      headers: { cookie, origin: "https://evil.example" },
      query,
      body: { name: "Cross-site" },
    });
    expect(crossSite.status, crossSite.text).toBe(403);

    const { sid } = (await decode({
      token: cookie.slice(SESSION_COOKIE.length + 1),
      secret: process.env.AUTH_SECRET!,
      salt: SESSION_COOKIE,
    }))!;
    await db.session.delete({ where: { id: sid as string } });
    expect((await send(undefined, "GET", "/api/v1/me", { headers: { cookie }, query })).status).toBe(401);
  });

  it("left every one of A's resources in place and working", async () => {
    const pass = await aDoors.key.pass("GET");
    for (const operation of OPERATIONS.filter((candidate) => candidate.method === "GET" && pathParams(candidate).length > 0)) {
      const answer = await sendThrough(pass, "GET", ownPath(operation, a.resources));
      expect(answer.status, `${operation.id}: ${answer.text}`).toBe(200);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_WORKSPACE_PARAM } from "@/server/api/handle";
import type { ApiOperation } from "@/server/api/operation";
import { OPERATIONS } from "@/server/api/registry";
import { replaceTxtLookup } from "@/server/domains/dns";
import { DOOR_NAMES, SAME_ORIGIN, doorOf, sendThrough, type Door, type DoorName, type Pass } from "../support/doors";
import { createTeam, unique } from "../support/factories";
import { neverExistingId } from "../support/helpers";
import { asNextSeesIt, inRequestScope } from "../support/next-request";
import {
  idSource,
  ownPath,
  pathOf,
  pathParams,
  schemaFields,
  seedResources,
  type Answer,
  type Resources,
} from "../support/operation-calls";
import { discoverAppRoutes, handlerOf } from "../support/routes";
import { workspaceSnapshot } from "../support/workspace-snapshot";

// A GET never changes anything. Every GET route handler of the app — each GET operation of the registry, and
// each other route.ts that exports GET (the OpenAPI document, the /api/v1 catch-all, whatever is added later) —
// and the HEAD Next.js answers with it, is called through both doors (B's owner's key and browser session)
// with valid and hostile inputs: another workspace's ids, ids that never existed, junk queries, another
// workspace's slug. Both workspaces' rows are compared before and after each call. Not compared, by design: a
// key's lastUsedAt (and updatedAt), which a key use writes, and the rate-limit counters (workspace-snapshot.ts).

const METHODS = ["GET", "HEAD"] as const;
const JUNK = `'; DROP TABLE "Campaign"; -- <script>${"x".repeat(300)}`;

let a: Resources;
let b: Resources;
let bDoors: Record<DoorName, Door>;
let restoreDns: () => void;

beforeAll(async () => {
  restoreDns = replaceTxtLookup(async () => []);
  const [teamA, teamB] = [await createTeam(), await createTeam()];
  [a, b] = [await seedResources(teamA.owner, "Alpha"), await seedResources(teamB.owner, "Bravo")];
  bDoors = { key: doorOf("key", teamB.owner), session: doorOf("session", teamB.owner) };
});

afterAll(() => restoreDns?.());

/** A query each GET operation accepts as valid (the others take none). */
const VALID_QUERIES: Record<string, Record<string, string>> = {
  listCampaigns: { limit: "100", status: "sent" },
  listTags: { limit: "100" },
  listDomains: { limit: "100" },
  listWorkspaces: { limit: "100" },
  getAnalytics: { groupBy: "campaign,day" },
};

/** Query fields that name another resource, and A's id to put there. */
const ID_QUERY_FIELDS: Record<string, (resources: Resources) => string> = {
  tagId: (resources) => resources.tagId,
  campaignId: (resources) => resources.campaignId,
};

interface GetCase {
  label: string;
  /** What the answer must be: a 200, a refusal (4xx), or anything but a server error (a filter by A's id may answer an empty page). */
  answer: "200" | "4xx" | "not 5xx";
  doors: readonly DoorName[];
  request: () => { path: string; query?: Record<string, string> };
}

function operationCases(operation: ApiOperation): GetCase[] {
  const params = pathParams(operation);
  const fields = schemaFields(operation.query);
  const validQuery = () => VALID_QUERIES[operation.id] ?? {};
  const withEach = (value: (param: string) => string) =>
    pathOf(operation, Object.fromEntries(params.map((param) => [param, value(param)])));
  const cases: GetCase[] = [
    { label: "B's own resources", answer: "200", doors: DOOR_NAMES, request: () => ({ path: ownPath(operation, b), query: validQuery() }) },
    {
      label: "junk in every query parameter, and unknown ones",
      answer: "4xx",
      doors: DOOR_NAMES,
      request: () => ({
        path: ownPath(operation, b),
        query: { ...Object.fromEntries(fields.map((field) => [field, JUNK])), ["__proto__"]: JUNK, [unique("unknown")]: JUNK },
      }),
    },
    {
      label: "A's workspace in ?workspace=",
      answer: "4xx",
      doors: ["session"],
      request: () => ({ path: ownPath(operation, b), query: { ...validQuery(), [SESSION_WORKSPACE_PARAM]: a.workspaceSlug } }),
    },
  ];
  if (params.length) {
    cases.push(
      {
        label: "A's ids in the path",
        answer: "4xx",
        doors: DOOR_NAMES,
        request: () => ({ path: withEach((param) => a[idSource(operation, param)]) }),
      },
      {
        label: "ids that never existed in the path",
        answer: "4xx",
        doors: DOOR_NAMES,
        request: () => ({ path: withEach(() => neverExistingId()) }),
      },
    );
  }
  const idFields = fields.filter((field) => field in ID_QUERY_FIELDS);
  if (idFields.length) {
    cases.push({
      label: `A's ids in ${idFields.join(", ")}`,
      answer: "not 5xx",
      doors: DOOR_NAMES,
      request: () => ({
        path: ownPath(operation, b),
        query: { ...validQuery(), ...Object.fromEntries(idFields.map((field) => [field, ID_QUERY_FIELDS[field]!(a)])) },
      }),
    });
  }
  return cases;
}

const GET_OPERATIONS = OPERATIONS.filter((operation) => operation.method === "GET");

/** Route files exporting GET that are not a registered operation, e.g. /api/v1/openapi.json and the catch-all. */
const OTHER_GET_ROUTES = await (async () => {
  const operationPaths = new Set(GET_OPERATIONS.map((operation) => operation.path));
  const routes = [];
  for (const route of discoverAppRoutes()) {
    const routeModule = (await import(route.file)) as Record<string, unknown>;
    if (typeof routeModule.GET === "function" && !operationPaths.has(route.path)) routes.push(route);
  }
  return routes;
})();

const ROUTE_QUERIES: [label: string, query: () => Record<string, string>][] = [
  ["no query", () => ({})],
  ["a junk query", () => ({ [unique("unknown")]: JUNK, limit: JUNK })],
];

/** A route's path with A's campaign id in every dynamic segment (a catch-all gets a path that names nothing). */
function filledPath(path: string, resources: Resources): { path: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const filled = path.replace(/\{(\.\.\.)?(\w+)\}/g, (_, rest: string | undefined, name: string) => {
    const value = rest ? ["no", "such", "endpoint", resources.campaignId] : resources.campaignId;
    params[name] = value;
    return Array.isArray(value) ? value.join("/") : value;
  });
  return { path: filled, params };
}

/** Calls a route module's handler as Next.js would, with the pass's credentials. */
async function callRoute(
  file: string,
  method: string,
  path: string,
  params: Record<string, string | string[]>,
  pass: Pass,
  query: Record<string, string>,
): Promise<Answer> {
  const routeModule = (await import(file)) as Parameters<typeof handlerOf>[0];
  const handler = handlerOf(routeModule, method)!;
  const url = `${SAME_ORIGIN}${path}?${new URLSearchParams({ ...pass.query, ...query })}`;
  const request = asNextSeesIt(new Request(url, { method, headers: pass.headers }));
  const response = await inRequestScope(request, () => handler(request, { params: Promise.resolve(params) }));
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: null };
}

async function expectNothingChanged(call: () => Promise<Answer>): Promise<Answer> {
  const [aBefore, bBefore] = [await workspaceSnapshot(a.workspaceId), await workspaceSnapshot(b.workspaceId)];
  const answer = await call();
  expect(await workspaceSnapshot(a.workspaceId), "A's rows").toEqual(aBefore);
  expect(await workspaceSnapshot(b.workspaceId), "B's rows").toEqual(bBefore);
  return answer;
}

describe("a GET never changes anything: the list is generated", () => {
  it("covers every GET operation, and finds the GET route handlers outside the registry", () => {
    expect(GET_OPERATIONS.length).toBeGreaterThan(0);
    expect(OTHER_GET_ROUTES.map((route) => route.path)).toContain("/api/v1/openapi.json");
  });
});

describe.each(DOOR_NAMES)("a GET never changes anything, through B's owner's %s door", (door) => {
  const cases = GET_OPERATIONS.flatMap((operation) =>
    operationCases(operation)
      .filter((getCase) => getCase.doors.includes(door))
      .flatMap((getCase) => METHODS.map((method) => [`${method} ${operation.path} with ${getCase.label}`, method, getCase] as const)),
  );

  it.each(cases)("%s", async (_, method, { answer: expected, request }) => {
    const pass = await bDoors[door].pass(method);
    const { path, query } = request();
    const answer = await expectNothingChanged(() => sendThrough(pass, method, path, { query }));
    if (expected === "200") expect(answer.status, answer.text).toBe(200);
    if (expected === "4xx") expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text).toBeLessThan(500);
    if (method === "HEAD") expect(answer.text).toBe("");
  });

  const routeCases = OTHER_GET_ROUTES.flatMap((route) =>
    ROUTE_QUERIES.flatMap(([label, query]) =>
      METHODS.map(
        (method) => [`${method} ${route.path} (src/app/${route.file.split("src/app/")[1]}) with ${label}`, method, route, query] as const,
      ),
    ),
  );

  it.each(routeCases)("%s", async (_, method, route, query) => {
    const pass = await bDoors[door].pass(method);
    const { path, params } = filledPath(route.path, a);
    const answer = await expectNothingChanged(() => callRoute(route.file, method, path, params, pass, query()));
    expect(answer.status, answer.text).toBeLessThan(500);
  });
});

// 50 clients at once, for LOAD_MS, against two production servers and (for the people operations, which the
// browser does through Server Actions) the services themselves, all on one database:
// - over HTTP: create machine-user keys, use them, change their permissions, delete them (own or others');
//   change the permissions of people's keys while their owners are being removed; read;
// - through the services: add members (and mint them keys), change roles, remove members and machine users.
// Afterwards, by SQL: no machine user without its one key, no key whose owner is not a member, no workspace
// without a human owner; every request answered, no 5xx; and nothing lost or done twice: created − deleted =
// rows left (keys and memberships), each key and each membership removed at most once, and every key's final
// permissions are those of an acknowledged write.
//
// Two races with a person or machine user being removed, found by this test and fixed since:
// 1. Prisma loads relations with separate SELECTs (no relationJoins), each with its own snapshot, so a key or
//    membership read while its owner is being deleted comes back with `membership` / `user` = null although
//    the schema says required; the code dereferences it: TypeError, 500 (GET /me, GET /api-keys, DELETE and
//    PATCH /api-keys/{id}; removeMember in the service).
// 2. Creating a key for an owner removed after authentication violates the key's foreign key to the
//    membership (P2003): the invariant holds, but the answer was a 500 (now a 409).
// Fixed by reading relations in one statement (previewFeatures relationJoins) and turning P2003 into a 409.
// The load test still recognises those errors, to report them by name; the test after it requires none.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api, Tally, type Answer } from "./support/http";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const LOAD_MS = Number(process.env.HARD_LOAD_MS ?? 60_000);
const MAX_ITERATIONS_PER_CLIENT = 5_000;
const CLIENTS = { machineChurn: 16, machineSnipers: 6, peopleChurn: 12, keyEditors: 10, readers: 6 };

const skip = skipReason("concurrency.test.ts");

type Principal = Awaited<ReturnType<Services["principalOf"]>>;
type Ws = "A" | "B";

interface MachineKey {
  ws: Ws;
  id: string;
  key: string;
  machineUserId: string;
  /** Permissions of the last acknowledged write by its creating client (the only one that PATCHes it). */
  lastAcknowledged: string[];
}

interface HumanKey {
  ws: Ws;
  id: string;
  key: string;
  /** Every acknowledged permission set: the minted one and each PATCH answered 200. */
  acknowledged: string[][];
}

interface Person {
  ws: Ws;
  userId: string;
  membershipId: string;
}

const RESTRICTED_CHOICES = [
  ["campaigns.read"],
  ["campaigns.write", "analytics.read"],
  ["apiKeys.read", "tags.write"],
  ["domains.read", "workspaces.read", "campaigns.read"],
];

/** The errors of the known bugs above, as logged by the server or thrown by a service. */
const NULL_RELATION = /TypeError: Cannot read properties of null \(reading '(user|id|name|isMachine)'\)/;
const FK_RACE = /PrismaClientKnownRequestError[\s\S]*Foreign key constraint violated on the constraint: `ApiKey_workspaceId_ownerId_fkey`/;
const isKnownBug = (text: string) => NULL_RELATION.test(text) || FK_RACE.test(text);

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
const sorted = (permissions: unknown) => [...(permissions as string[])].sort();
const same = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

describe.skipIf(skip)("50 concurrent clients on two instances and the services", () => {
  /** What the load test saw of the races named at the top of this file, for the test that requires none. */
  let knownBug: { http500: number; serviceErrors: number; examples: string[] } | undefined;
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let servers: RunningServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // The test process runs up to 18 service clients at once: give its pool room, so that waiting for a
    // connection in this process is not what is measured.
    process.env.DATABASE_POOL_MAX = "20";
    services = await loadServices(database.url);
    const env = { API_RATE_LIMIT: "1000000", SIGN_UP_MAX_PER_IP: "100000" };
    servers = await Promise.all([
      startServer({ name: "instance 1", databaseUrl: database.url, env }),
      startServer({ name: "instance 2", databaseUrl: database.url, env }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await services?.close();
    await database?.drop();
  });

  it("keeps every invariant and loses nothing under 50 clients of mixed writes", async () => {
    const { createAccount, addMember, principalOf, mintKey, changeRole, removeMember, db, AppError } = services;

    // ---- Two workspaces. A: an owner nobody touches, whose key creates machine users. B: every person is fair
    // game (two human owners to start with); its admin key belongs to a machine user that is never removed.
    const ownerA = await createAccount("Anchored Owner");
    const wsA = ownerA.workspace;
    const principalA = await principalOf(ownerA.user.id, wsA.id);
    const adminA = (await mintKey(principalA, { name: "admin A" })).key;

    const first = await createAccount("First Owner");
    const wsB = first.workspace;
    const second = await addMember(wsB.id, "owner", "Second Owner");
    const adminBKey = await mintKey(await principalOf(first.user.id, wsB.id), { name: "admin B", owner: "machine" });
    const adminB = adminBKey.key;
    const workspaceId: Record<Ws, string> = { A: wsA.id, B: wsB.id };
    const adminKey: Record<Ws, string> = { A: adminA, B: adminB };

    const firstMembership = await db.membership.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: wsB.id, userId: first.user.id } },
    });
    const people: Person[] = [
      { ws: "B", userId: first.user.id, membershipId: firstMembership.id },
      { ws: "B", userId: second.user.id, membershipId: second.membership.id },
    ];
    const initialHumans: Record<Ws, number> = { A: 1, B: 2 };

    // ---- Bookkeeping of everything acknowledged.
    const http = new Tally();
    const service = new Tally();
    const unexpected: string[] = [];
    const http500: string[] = [];
    const serviceKnownBug: string[] = [];
    const machineKeys = new Map<string, MachineKey>();
    const liveMachineKeys: MachineKey[] = [];
    const deletedKeyIds = new Map<string, string>();
    const doubleDeletes: string[] = [];
    const humanKeys: HumanKey[] = [];
    const removedMemberships = new Set<string>();
    const doubleRemovals: string[] = [];
    const added: Record<Ws, number> = { A: 0, B: 0 };
    const removedHumans: Record<Ws, number> = { A: 0, B: 0 };
    const oneThousandUnexpectedAtMost = (line: string) => unexpected.length < 1_000 && unexpected.push(line);

    const call = async (
      label: string,
      expected: number[],
      server: RunningServer,
      method: string,
      path: string,
      options: { key: string; body?: unknown },
    ): Promise<Answer> => {
      const answer = await api(server.baseUrl, method, path, { ...options, timeoutMs: 20_000 });
      http.add(label, answer.failure ?? answer.status);
      if (answer.status === 500 && answer.json?.code === "internal_error") {
        http500.push(`${server.name} ${label}`);
      } else if (!expected.includes(answer.status)) {
        oneThousandUnexpectedAtMost(
          `${server.name} ${label}: ${answer.failure ?? answer.status} ${JSON.stringify(answer.json)?.slice(0, 300)}`,
        );
      }
      return answer;
    };

    const markKeyDeleted = (id: string, by: string) => {
      const earlier = deletedKeyIds.get(id);
      if (earlier) doubleDeletes.push(`${id}: ${earlier} and ${by}`);
      deletedKeyIds.set(id, by);
      const index = liveMachineKeys.findIndex((key) => key.id === id);
      if (index >= 0) liveMachineKeys.splice(index, 1);
    };

    /** Runs a service call; success, or one of the expected refusals, is counted; anything else is unexpected. */
    const attempt = async <T>(label: string, expected: string[], run: () => Promise<T>): Promise<T | undefined> => {
      try {
        const result = await run();
        service.add(label, "ok");
        return result;
      } catch (error) {
        const code =
          error instanceof AppError
            ? error.code
            : (error as { code?: string }).code === "P2025"
              ? "not_found (P2025)"
              : `${(error as Error).name}: ${(error as Error).message}`;
        if (isKnownBug(code)) {
          service.add(label, `known bug: ${NULL_RELATION.test(code) ? "null relation" : "foreign key race"}`);
          serviceKnownBug.push(`${label}: ${code.slice(0, 300)}`);
          return undefined;
        }
        service.add(label, code.slice(0, 200));
        if (!expected.includes(code)) oneThousandUnexpectedAtMost(`service ${label}: ${code.slice(0, 500)}`);
        return undefined;
      }
    };

    /**
     * A current human owner of the workspace, as a principal (A: always the anchored owner). In B they may be
     * demoted between the lookup and the principal (then the service answers forbidden) or after it (then
     * they act on a stale principal, as a Server Action that started just before the demotion would).
     */
    const someOwner = async (ws: Ws): Promise<Principal | undefined> => {
      if (ws === "A") return principalA;
      const owners = await db.membership.findMany({
        where: { workspaceId: wsB.id, role: "owner", user: { isMachine: false } },
        select: { userId: true },
      });
      const owner = pick(owners);
      if (!owner) {
        oneThousandUnexpectedAtMost("workspace B has no human owner");
        return undefined;
      }
      return principalOf(owner.userId, wsB.id).catch(() => undefined);
    };

    const t0 = performance.now();
    const deadline = t0 + LOAD_MS;
    const running = () => performance.now() < deadline;

    // ---- 1. Machine-user churn over HTTP: create, use, PATCH, delete (own key, someone else's, or itself).
    const machineChurn = async (client: number) => {
      const ws: Ws = client % 2 === 0 ? "A" : "B";
      const server = servers[Math.floor(client / 2) % 2]!;
      const other = servers[(Math.floor(client / 2) + 1) % 2]!;
      for (let i = 0; i < MAX_ITERATIONS_PER_CLIENT && running(); i++) {
        const kind = pick(["all", "read_only", "restricted"] as const)!;
        const body = {
          name: `machine ${client}.${i}`,
          kind,
          owner: "machine",
          ...(kind === "restricted" ? { permissions: pick(RESTRICTED_CHOICES) } : {}),
        };
        const created = await call("POST /api-keys (machine)", [201], server, "POST", "/api/v1/api-keys", { key: adminKey[ws], body });
        if (created.status !== 201) continue;
        const json = created.json!;
        const mine: MachineKey = {
          ws,
          id: json.id as string,
          key: json.key as string,
          machineUserId: (json.owner as { id: string }).id,
          lastAcknowledged: json.permissions as string[],
        };
        machineKeys.set(mine.id, mine);
        liveMachineKeys.push(mine);

        // Snipers may already have removed it: 401 then.
        const me = await call("GET /me (machine key)", [200, 401], other, "GET", "/api/v1/me", { key: mine.key });
        if (me.status === 200 && (me.json!.owner as { type: string }).type !== "machine")
          oneThousandUnexpectedAtMost(`machine key acts as ${JSON.stringify(me.json!.owner)}`);

        // Delete: its own key, a random live one (maybe another client's, maybe already gone), (an "all" key)
        // itself with itself, or none (it stays for the snipers, or to the end). First a PATCH, but for itself.
        const mode = i % 4;
        if (mode === 2 && kind === "all") {
          const self = await call(
            "DELETE /api-keys/{id} (machine, itself)",
            [204, 401, 404],
            server,
            "DELETE",
            `/api/v1/api-keys/${mine.id}`,
            { key: mine.key },
          );
          if (self.status === 204) markKeyDeleted(mine.id, `itself, client ${client}`);
          continue;
        }
        const patchBody = i % 2 ? { kind: "read_only" } : { kind: "restricted", permissions: pick(RESTRICTED_CHOICES) };
        const patched = await call("PATCH /api-keys/{id} (machine)", [200, 404], other, "PATCH", `/api/v1/api-keys/${mine.id}`, {
          key: adminKey[ws],
          body: patchBody,
        });
        if (patched.status === 200) mine.lastAcknowledged = patched.json!.permissions as string[];

        if (mode === 3) continue;
        const target = mode === 1 ? (pick(liveMachineKeys.filter((key) => key.ws === ws)) ?? mine) : mine;
        const deleted = await call("DELETE /api-keys/{id} (machine)", [204, 404], server, "DELETE", `/api/v1/api-keys/${target.id}`, {
          key: adminKey[ws],
        });
        if (deleted.status === 204) markKeyDeleted(target.id, `HTTP DELETE by client ${client}`);
      }
    };

    // ---- 2. Machine-user snipers through the service: removeMember on a machine user (its key goes with it).
    const machineSniper = async (client: number) => {
      for (let i = 0; i < MAX_ITERATIONS_PER_CLIENT && running(); i++) {
        const target = pick(liveMachineKeys);
        if (!target) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const membership = await db.membership.findUnique({
          where: { workspaceId_userId: { workspaceId: workspaceId[target.ws], userId: target.machineUserId } },
          select: { id: true },
        });
        if (!membership) {
          service.add("removeMember (machine)", "already gone");
          continue;
        }
        const actor = await someOwner(target.ws);
        if (!actor) continue;
        const result = await attempt("removeMember (machine)", ["not_found", "not_found (P2025)", "forbidden"], () =>
          removeMember(actor, membership.id).then(() => true),
        );
        if (result) {
          markKeyDeleted(target.id, `removeMember by sniper ${client}`);
          if (removedMemberships.has(membership.id)) doubleRemovals.push(membership.id);
          removedMemberships.add(membership.id);
        }
      }
    };

    // ---- 3. People churn through the services: add a member (and mint them a key), change roles, remove.
    const peopleChurn = async (client: number) => {
      const ws: Ws = client % 3 === 0 ? "A" : "B";
      for (let i = 0; i < MAX_ITERATIONS_PER_CLIENT && running(); i++) {
        const actor = await someOwner(ws);
        if (!actor) continue;
        const roll = Math.random();
        const candidates = people.filter((person) => person.ws === ws && !removedMemberships.has(person.membershipId));
        if (roll < 0.35 || candidates.length < 3) {
          const joined = await attempt("addMember", [], () =>
            addMember(workspaceId[ws], Math.random() < 0.3 ? "owner" : "member", `Person${client}x${i} Example`),
          );
          if (!joined) continue;
          added[ws] += 1;
          people.push({ ws, userId: joined.user.id, membershipId: joined.membership.id });
          const principal = await principalOf(joined.user.id, workspaceId[ws]).catch(() => undefined);
          if (!principal) continue;
          const kind = pick(["all", "read_only"] as const)!;
          const minted = await attempt("mintKey (person)", ["conflict"], () => mintKey(principal, { name: `key of ${client}.${i}`, kind }));
          if (minted) humanKeys.push({ ws, id: minted.id, key: minted.key, acknowledged: [minted.permissions] });
        } else if (roll < 0.7) {
          const target = pick(candidates)!;
          await attempt("changeRole", ["conflict", "not_found", "forbidden"], () =>
            changeRole(actor, target.membershipId, Math.random() < 0.5 ? "owner" : "member"),
          );
        } else {
          const target = pick(candidates)!;
          const result = await attempt("removeMember (person)", ["conflict", "not_found", "forbidden"], () =>
            removeMember(actor, target.membershipId).then(() => true),
          );
          if (result) {
            removedHumans[ws] += 1;
            if (removedMemberships.has(target.membershipId)) doubleRemovals.push(target.membershipId);
            removedMemberships.add(target.membershipId);
          }
        }
      }
    };

    // ---- 4. Key editors over HTTP: change people's keys' permissions (their owners may be removed meanwhile).
    const keyEditor = async (client: number) => {
      const server = servers[client % 2]!;
      for (let i = 0; i < MAX_ITERATIONS_PER_CLIENT && running(); i++) {
        const target = pick(humanKeys);
        if (!target) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const body = pick([{ kind: "read_only" }, { kind: "all" }, { kind: "restricted", permissions: pick(RESTRICTED_CHOICES) }]);
        const patched = await call("PATCH /api-keys/{id} (person)", [200, 404], server, "PATCH", `/api/v1/api-keys/${target.id}`, {
          key: adminKey[target.ws],
          body,
        });
        if (patched.status === 200) target.acknowledged.push(patched.json!.permissions as string[]);
        await call("GET /me (person key)", [200, 401], server, "GET", "/api/v1/me", { key: target.key });
        // The person (maybe being removed right now) makes themselves another key. 401: removed before; 403: the
        // key was just made read-only; 409: removed meanwhile (the answer once known bug 2 is fixed).
        if (i % 4 === 0) {
          const created = await call("POST /api-keys (person)", [201, 401, 403, 409], server, "POST", "/api/v1/api-keys", {
            key: target.key,
            body: { name: `second key ${client}.${i}`, kind: "read_only" },
          });
          if (created.status === 201) {
            humanKeys.push({
              ws: target.ws,
              id: created.json!.id as string,
              key: created.json!.key as string,
              acknowledged: [created.json!.permissions as string[]],
            });
          }
        }
      }
    };

    // ---- 5. Readers: the admin keys list keys and ask who they are.
    const reader = async (client: number) => {
      const server = servers[client % 2]!;
      const ws: Ws = client % 2 === 0 ? "A" : "B";
      for (let i = 0; i < MAX_ITERATIONS_PER_CLIENT && running(); i++) {
        if (i % 2) await call("GET /api-keys", [200], server, "GET", "/api/v1/api-keys", { key: adminKey[ws] });
        else await call("GET /me (admin)", [200], server, "GET", "/api/v1/me", { key: adminKey[ws] });
      }
    };

    const clients = [
      ...Array.from({ length: CLIENTS.machineChurn }, (_, i) => machineChurn(i)),
      ...Array.from({ length: CLIENTS.machineSnipers }, (_, i) => machineSniper(i)),
      ...Array.from({ length: CLIENTS.peopleChurn }, (_, i) => peopleChurn(i)),
      ...Array.from({ length: CLIENTS.keyEditors }, (_, i) => keyEditor(i)),
      ...Array.from({ length: CLIENTS.readers }, (_, i) => reader(i)),
    ];
    expect(clients).toHaveLength(50);
    await Promise.all(clients);
    const elapsedMs = performance.now() - t0;

    // ---- The database afterwards.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;
    try {
      const machineWithoutKey = await rows(
        `SELECT u.id FROM "User" u WHERE u."isMachine" AND NOT EXISTS (SELECT 1 FROM "ApiKey" k WHERE k."ownerId" = u.id)`,
      );
      const machineWithManyKeys = await rows(
        `SELECT k."ownerId", count(*) FROM "ApiKey" k JOIN "User" u ON u.id = k."ownerId" WHERE u."isMachine" GROUP BY 1 HAVING count(*) > 1`,
      );
      const machineWithoutMembership = await rows(
        `SELECT u.id FROM "User" u WHERE u."isMachine" AND NOT EXISTS (SELECT 1 FROM "Membership" m WHERE m."userId" = u.id)`,
      );
      const keyOfNonMember = await rows(
        `SELECT k.id FROM "ApiKey" k LEFT JOIN "Membership" m ON m."workspaceId" = k."workspaceId" AND m."userId" = k."ownerId" WHERE m.id IS NULL`,
      );
      const workspaceWithoutHumanOwner = await rows(
        `SELECT w.id, w.name FROM "Workspace" w WHERE NOT EXISTS (
           SELECT 1 FROM "Membership" m JOIN "User" u ON u.id = m."userId"
           WHERE m."workspaceId" = w.id AND m.role = 'owner' AND NOT u."isMachine")`,
      );
      const survivingKeys = await rows<{ id: string; ownerId: string; permissions: string[]; isMachine: boolean }>(
        `SELECT k.id, k."ownerId", k.permissions, u."isMachine" FROM "ApiKey" k JOIN "User" u ON u.id = k."ownerId" WHERE k."workspaceId" = ANY($1)`,
        [[wsA.id, wsB.id]],
      );
      const humanMemberships = await rows<{ workspaceId: string; count: string }>(
        `SELECT m."workspaceId", count(*) FROM "Membership" m JOIN "User" u ON u.id = m."userId"
         WHERE NOT u."isMachine" AND m."workspaceId" = ANY($1) GROUP BY 1`,
        [[wsA.id, wsB.id]],
      );

      // Machine keys: created − deleted = left (the admin machine key of B aside), as sets and as numbers.
      const survivingMachine = new Set(survivingKeys.filter((key) => key.isMachine && key.id !== adminBKey.id).map((key) => key.id));
      const expectedMachine = new Set([...machineKeys.keys()].filter((id) => !deletedKeyIds.has(id)));
      const machineLeftButDeleted = [...survivingMachine].filter((id) => !expectedMachine.has(id));
      const machineGoneButNotDeleted = [...expectedMachine].filter((id) => !survivingMachine.has(id));
      // Final permissions are an acknowledged write: for a machine key, its creator's last one.
      const byId = new Map(survivingKeys.map((key) => [key.id, key]));
      const machineLostUpdates = [...expectedMachine].filter(
        (id) => byId.has(id) && !same(byId.get(id)!.permissions, machineKeys.get(id)!.lastAcknowledged),
      );
      const humanTornWrites = humanKeys.filter(
        (key) => byId.has(key.id) && !key.acknowledged.some((permissions) => same(permissions, byId.get(key.id)!.permissions)),
      );
      const humansLeft = Object.fromEntries(humanMemberships.map((row) => [row.workspaceId, Number(row.count)]));

      const report = {
        elapsedMs: Math.round(elapsedMs),
        httpRequests: http.total,
        httpPerSecond: Math.round(http.total / (elapsedMs / 1000)),
        serviceCalls: service.total,
        machineKeysCreated: machineKeys.size,
        machineKeysDeleted: deletedKeyIds.size,
        machineKeysLeft: survivingMachine.size,
        humanKeysMinted: humanKeys.length,
        humanPatchesAcknowledged: humanKeys.reduce((sum, key) => sum + key.acknowledged.length - 1, 0),
        members: { added, removedHumans, left: { A: humansLeft[wsA.id] ?? 0, B: humansLeft[wsB.id] ?? 0 } },
        unexpected: unexpected.length,
      };
      console.info(`[hard] concurrency:\n${JSON.stringify(report, null, 2)}\nHTTP answers:\n${http}\nservice outcomes:\n${service}`);
      if (unexpected.length) console.info(`[hard] unexpected (first 30):\n${unexpected.slice(0, 30).join("\n")}`);
      const serverErrors = servers.flatMap((server) => server.errorEntries().map((entry) => `${server.name}: ${entry}`));
      const knownBugLog = serverErrors.filter(isKnownBug);
      const otherServerErrors = serverErrors.filter((entry) => !isKnownBug(entry));
      knownBug = {
        http500: http500.length,
        serviceErrors: serviceKnownBug.length,
        examples: [...knownBugLog, ...serviceKnownBug].map((entry) => entry.split("\n")[0]!.slice(0, 200)).slice(0, 10),
      };
      console.info(
        `[hard] known bugs: ${http500.length} HTTP 500 (${knownBugLog.filter((e) => NULL_RELATION.test(e)).length} null relation, ` +
          `${knownBugLog.filter((e) => FK_RACE.test(e)).length} foreign key race), ${serviceKnownBug.length} in services`,
      );
      if (otherServerErrors.length)
        console.info(`[hard] other server log errors (first 10):\n${otherServerErrors.slice(0, 10).join("\n")}`);

      // Every request answered; no 5xx but the 500s of the known bugs, each matched by its log entry.
      expect(
        http.count((status) => status === 0),
        "requests without an answer",
      ).toBe(0);
      expect(
        http.count((status) => status >= 500),
        "5xx other than the known bugs' 500",
      ).toBe(http500.length);
      expect(http500.length, "each 500 is a known bug's error in the server log").toBe(knownBugLog.length);
      expect(otherServerErrors).toEqual([]);
      expect(unexpected).toEqual([]);
      expect(http.total).toBeGreaterThan(1_000);
      expect(machineKeys.size).toBeGreaterThan(100);
      expect(removedHumans.A + removedHumans.B).toBeGreaterThan(10);

      // Invariants.
      expect(machineWithoutKey, "machine users without a key").toEqual([]);
      expect(machineWithManyKeys, "machine users with more than one key").toEqual([]);
      expect(machineWithoutMembership, "machine users without a membership").toEqual([]);
      expect(keyOfNonMember, "keys whose owner is not a member").toEqual([]);
      expect(workspaceWithoutHumanOwner, "workspaces without a human owner").toEqual([]);

      // Nothing lost, nothing done twice.
      expect(doubleDeletes, "keys deleted successfully twice").toEqual([]);
      expect(doubleRemovals, "memberships removed successfully twice").toEqual([]);
      expect(machineLeftButDeleted, "machine keys acknowledged as deleted but still there").toEqual([]);
      expect(machineGoneButNotDeleted, "machine keys gone without an acknowledged deletion").toEqual([]);
      expect(survivingMachine.size).toBe(machineKeys.size - deletedKeyIds.size);
      expect(humansLeft[wsA.id] ?? 0).toBe(initialHumans.A + added.A - removedHumans.A);
      expect(humansLeft[wsB.id] ?? 0).toBe(initialHumans.B + added.B - removedHumans.B);
      expect(machineLostUpdates, "machine keys whose permissions are not their last acknowledged PATCH").toEqual([]);
      expect(
        humanTornWrites.map((key) => key.id),
        "people's keys whose permissions match no acknowledged write",
      ).toEqual([]);
    } finally {
      await client.end();
    }
  });

  // The two races at the top of this file: tens of 500s per run before they were fixed.
  it("answers no 500 when a key's owner disappears mid-request", () => {
    expect(knownBug, "the load test ran").toBeDefined();
    expect(knownBug!.http500 + knownBug!.serviceErrors, knownBug!.examples.join("\n")).toBe(0);
  });

  // The personal workspace's slug is checked free, then inserted: sign-ups with the same first name at the same
  // moment pick the same "…-s-workspace", and the loser's transaction fails on the unique slug (P2002). That
  // was a 500; signUp now tries again. Up to 5 rounds of 24 simultaneous sign-ups over both instances.
  it("signs up people with the same first name at the same moment (POST /api/account/sign-up)", async () => {
    const failures: string[] = [];
    let attempts = 0;
    for (let round = 0; round < 5 && failures.length === 0; round++) {
      const firstName = `Zed${round}${Date.now().toString(36)}`;
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const server = servers[i % 2]!;
          return api(server.baseUrl, "POST", "/api/account/sign-up", {
            headers: { origin: server.baseUrl },
            body: {
              name: `${firstName} Person${i}`,
              email: `${firstName.toLowerCase()}-${i}@example.com`,
              password: "correct horse battery staple",
            },
          });
        }),
      );
      attempts += answers.length;
      for (const answer of answers)
        if (answer.status !== 201) failures.push(`${answer.status} ${JSON.stringify(answer.json)?.slice(0, 160)}`);
    }
    console.info(
      `[hard] simultaneous sign-ups with one first name: ${failures.length} of ${attempts} failed${failures[0] ? `, e.g. ${failures[0]}` : ""}`,
    );
    expect(failures).toEqual([]);
  });
});

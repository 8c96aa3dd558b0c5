import { describe, expect, it } from "vitest";
import { restrictApiKeyOperation } from "@/server/api-keys/operations";
import { deleteOldUsage, flushKeyUses, recordKeyUse } from "@/server/auth/last-used";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { peerHeader } from "@/server/http/client-ip";
import { workspaceAction, type ActionResult } from "@/server/http/action";
import { mintKey } from "../support/api";
import { SAME_ORIGIN, sessionCookie } from "../support/doors";
import { createTeam } from "../support/factories";
import { asNextSeesIt, inRequestScope } from "../support/next-request";
import { send } from "../support/operation-calls";
import { workspaceSnapshot } from "../support/workspace-snapshot";

// Issue 13, items 2 and 3: requests per key counted by hour, operation and status class (batched, additive),
// GET /api/v1/api-keys/{id}/usage, and the least-privilege advice with "restrict to what it uses".

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Usage = {
  total: { requests: number; "2xx": number; "4xx": number; "5xx": number };
  days: { date: string; "2xx": number; "4xx": number; "5xx": number }[];
  hours: { hour: string; "2xx": number; "4xx": number; "5xx": number }[];
  operations: {
    operation: string;
    permission: string | null;
    requests: number;
    "2xx": number;
    "4xx": number;
    "5xx": number;
    refused: number;
  }[];
  lastUsed: { at: string; ip: string | null; userAgent: string | null } | null;
  advice: {
    windowDays: number;
    observedSince: string;
    observedDays: number;
    used: string[];
    unused: string[];
    restrictTo: string[] | null;
  };
};

async function usageOf(reader: string, id: string): Promise<Usage> {
  const answer = await send(reader, "GET", `/api/v1/api-keys/${id}/usage`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as unknown as Usage;
}

const use = (at: Date, operation: string, status: number, refused = false) => ({
  at,
  request: { operation, status, refused, client: { ip: "203.0.113.9", userAgent: "test" } },
});

function recordUses(keyId: string, uses: ReturnType<typeof use>[]) {
  for (const { at, request } of uses) recordKeyUse(keyId, at, request);
}

/** The Server Action door, as a signed-in browser calls it. */
async function asBrowser<T>(principal: Principal, run: (slug: string) => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  const cookie = await sessionCookie(principal.user);
  const request = asNextSeesIt(
    new Request(`${SAME_ORIGIN}/${principal.workspace.slug}/settings/api-keys`, {
      method: "POST",
      headers: { cookie, origin: SAME_ORIGIN },
    }),
  );
  let result: ActionResult<T> | undefined;
  await inRequestScope(request, async () => {
    result = await run(principal.workspace.slug);
    return new Response(null);
  });
  return result!;
}

describe("usage per key", () => {
  it("counts each request once, by operation and status class, with the last address and User-Agent", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const key = await mintKey(team.owner, { name: "Reporting", kind: "restricted", permissions: ["campaigns.read", "tags.read"] });
    // The socket's peer, as the server's request filter signs it (src/server/http/client-ip.ts).
    const [peer, signed] = peerHeader("198.51.100.23");
    const headers = { "user-agent": "reporting-job/1.4", [peer]: signed };
    for (let i = 0; i < 3; i++) expect((await send(key.key, "GET", "/api/v1/campaigns", { headers })).status).toBe(200);
    expect((await send(key.key, "GET", "/api/v1/campaigns/doesnotexist", { headers })).status).toBe(404);
    expect((await send(key.key, "POST", "/api/v1/tags", { headers, body: { name: "x", color: "#123456" } })).status).toBe(403);
    expect((await send(key.key, "GET", "/api/v1/campaigns", { headers, query: { limit: "0" } })).status).toBe(422);
    // Nothing is written per request: the usage reads nothing until the flush.
    expect(await db.apiKeyUsage.count({ where: { apiKeyId: key.id } })).toBe(0);
    await flushKeyUses();

    const usage = await usageOf(admin.key, key.id);
    expect(usage.total).toEqual({ requests: 6, "2xx": 3, "4xx": 3, "5xx": 0 });
    expect(usage.days).toHaveLength(90);
    expect(usage.days.at(-1)).toMatchObject({ date: new Date().toISOString().slice(0, 10), "2xx": 3, "4xx": 3 });
    expect(usage.days.slice(0, -1).every((day) => day["2xx"] + day["4xx"] + day["5xx"] === 0)).toBe(true);
    expect(usage.hours).toHaveLength(48);
    expect(usage.hours.at(-1)).toMatchObject({ "2xx": 3, "4xx": 3 });
    expect(usage.operations).toEqual([
      {
        operation: "listCampaigns",
        method: "GET",
        path: "/api/v1/campaigns",
        permission: "campaigns.read",
        requests: 4,
        "2xx": 3,
        "4xx": 1,
        "5xx": 0,
        refused: 0,
      },
      {
        operation: "createTag",
        method: "POST",
        path: "/api/v1/tags",
        permission: "tags.write",
        requests: 1,
        "2xx": 0,
        "4xx": 1,
        "5xx": 0,
        refused: 1,
      },
      {
        operation: "getCampaign",
        method: "GET",
        path: "/api/v1/campaigns/{id}",
        permission: "campaigns.read",
        requests: 1,
        "2xx": 0,
        "4xx": 1,
        "5xx": 0,
        refused: 0,
      },
    ]);
    expect(usage.lastUsed).toMatchObject({ ip: "198.51.100.23", userAgent: "reporting-job/1.4" });
    // The keys list's count agrees with the usage.
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).requestCount).toBe(6);
  });

  it("adds what each flush brings to what is there, so instances flushing the same hours sum exactly", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const key = await mintKey(team.owner, { name: "Busy" });
    const at = new Date();
    let sent = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 40; i++) recordUses(key.id, [use(at, "listTags", i % 10 === 0 ? 500 : 200)]);
      sent += 40;
      // Two flushes racing (as two instances would): whatever each takes is added once.
      await Promise.all([flushKeyUses(), flushKeyUses()]);
    }
    const usage = await usageOf(admin.key, key.id);
    const [listTags] = usage.operations.filter((row) => row.operation === "listTags");
    expect(listTags).toMatchObject({ requests: sent, "2xx": sent * 0.9, "5xx": sent * 0.1 });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).requestCount).toBeGreaterThanOrEqual(sent);
  });

  it("skips the usage of a key deleted before the flush, and still writes the others'", async () => {
    const team = await createTeam();
    const gone = await mintKey(team.owner, { name: "Gone" });
    const kept = await mintKey(team.owner, { name: "Kept" });
    recordUses(gone.id, [use(new Date(), "listTags", 200)]);
    recordUses(kept.id, [use(new Date(), "listTags", 200)]);
    await db.apiKey.delete({ where: { id: gone.id } });
    await flushKeyUses();
    expect(await db.apiKeyUsage.count({ where: { apiKeyId: kept.id } })).toBe(1);
    expect(await db.apiKeyUsage.count({ where: { apiKeyId: gone.id } })).toBe(0);
  });

  it("keeps 90 days: the chart reads 90 days, and older rows are deleted", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const key = await mintKey(team.owner, { name: "Old" });
    const now = new Date();
    recordUses(key.id, [
      use(new Date(now.getTime() - 89 * DAY), "listTags", 200),
      use(new Date(now.getTime() - 95 * DAY), "listTags", 200),
    ]);
    await flushKeyUses();
    expect(await db.apiKeyUsage.count({ where: { apiKeyId: key.id } })).toBe(2);
    const usage = await usageOf(admin.key, key.id);
    expect(usage.total.requests).toBe(1);
    expect(usage.days[0]!["2xx"]).toBe(1);
    await deleteOldUsage(now);
    expect(await db.apiKeyUsage.count({ where: { apiKeyId: key.id } })).toBe(1);
  });

  it("shows the last address and User-Agent only to the key's owner and to workspace owners", async () => {
    const team = await createTeam();
    const ownersKey = await mintKey(team.owner, { name: "Owner's" });
    const membersReader = await mintKey(team.member, { name: "Member's reader", kind: "read_only" });
    const membersOwn = await mintKey(team.member, { name: "Member's own", kind: "read_only" });
    await send(ownersKey.key, "GET", "/api/v1/me", { headers: { "user-agent": "owner-tool" } });
    await send(membersOwn.key, "GET", "/api/v1/me", { headers: { "user-agent": "member-tool" } });
    // A control character a client sent is shown as a space.
    const tabbed = await mintKey(team.owner, { name: "Tabbed" });
    await send(tabbed.key, "GET", "/api/v1/me", { headers: { "user-agent": "odd\ttool" } });
    await flushKeyUses();
    expect((await usageOf(ownersKey.key, tabbed.id)).lastUsed).toMatchObject({ userAgent: "odd tool" });
    expect((await usageOf(membersReader.key, ownersKey.id)).lastUsed).toMatchObject({ ip: null, userAgent: null });
    expect((await usageOf(membersReader.key, membersOwn.id)).lastUsed).toMatchObject({ userAgent: "member-tool" });
    expect((await usageOf(ownersKey.key, membersOwn.id)).lastUsed).toMatchObject({ userAgent: "member-tool" });
  });

  it("is a 404 for a key of another workspace, and needs apiKeys.read", async () => {
    const team = await createTeam();
    const other = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const foreign = await mintKey(other.owner, { name: "Theirs" });
    expect((await send(admin.key, "GET", `/api/v1/api-keys/${foreign.id}/usage`)).status).toBe(404);
    const noKeys = await mintKey(team.owner, { name: "Tags only", kind: "restricted", permissions: ["tags.read"] });
    const refused = await send(noKeys.key, "GET", `/api/v1/api-keys/${admin.id}/usage`);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ requiredPermission: "apiKeys.read" });
  });
});

describe("least-privilege advice", () => {
  it("names the held permissions no request of the last 30 days used, from the operations' declared permissions", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const key = await mintKey(team.owner, {
      name: "Reporting",
      kind: "restricted",
      permissions: ["campaigns.read", "tags.read", "analytics.read"],
    });
    await db.apiKey.update({ where: { id: key.id }, data: { createdAt: new Date(Date.now() - 60 * DAY) } });
    const now = Date.now();
    recordUses(key.id, [
      use(new Date(now - HOUR), "listCampaigns", 200),
      // A request refused for lacking the permission, or over the rate limit, used nothing.
      use(new Date(now - HOUR), "getAnalytics", 429, true),
      // Older than the window: not use.
      use(new Date(now - 40 * DAY), "listTags", 200),
    ]);
    await flushKeyUses();
    const { advice } = await usageOf(admin.key, key.id);
    expect(advice).toMatchObject({ windowDays: 30, observedDays: 30, used: ["campaigns.read"], unused: ["analytics.read", "tags.read"] });
    expect(advice.restrictTo).toEqual(["campaigns.read"]);
  });

  it("keeps what a used permission needs: a used write keeps its read, a used option keeps its write", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const key = await mintKey(team.owner, { name: "Everything" });
    recordUses(key.id, [use(new Date(), "createCampaign", 201)]);
    await flushKeyUses();
    const { advice } = await usageOf(admin.key, key.id);
    expect(advice.used).toEqual(["campaigns.write"]);
    expect(advice.restrictTo).toEqual(["campaigns.read", "campaigns.write"]);
    expect(advice.unused).not.toContain("campaigns.read");
    expect(advice.unused).toContain("apiKeys.manageAll");
  });

  it("says how long a young key was observed, and counts the requests of the key it replaced", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const old = await mintKey(team.owner, { name: "Rolled", kind: "restricted", permissions: ["campaigns.read", "tags.read"] });
    const fresh = await usageOf(admin.key, old.id);
    expect(fresh.advice.observedDays).toBe(0);
    expect(Math.abs(Date.parse(fresh.advice.observedSince) - Date.now())).toBeLessThan(60_000);
    expect(fresh.advice).toMatchObject({ used: [], unused: ["campaigns.read", "tags.read"], restrictTo: null });

    await db.apiKey.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 12 * DAY) } });
    expect((await send(old.key, "GET", "/api/v1/tags")).status).toBe(200);
    await flushKeyUses();
    const rolled = await send(admin.key, "POST", `/api/v1/api-keys/${old.id}/roll`, { body: { gracePeriod: "none" } });
    expect(rolled.status).toBe(201);
    const replacement = rolled.json!.id as string;
    const { advice } = await usageOf(admin.key, replacement);
    expect(advice).toMatchObject({ observedDays: 12, used: ["tags.read"], unused: ["campaigns.read"], restrictTo: ["tags.read"] });
  });
});

describe("restrict to what it uses", () => {
  async function usedKey() {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const key = await mintKey(team.member, { name: "Reporting", kind: "restricted", permissions: ["campaigns.read", "tags.read"] });
    expect((await send(key.key, "GET", "/api/v1/campaigns")).status).toBe(200);
    await flushKeyUses();
    return { team, admin, key };
  }

  it("through the API: removes the unused permissions, records it, and the next request needing one is a 403 naming it", async () => {
    const { team, admin, key } = await usedKey();
    const answer = await send(admin.key, "POST", `/api/v1/api-keys/${key.id}/restrict`, { body: {} });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ id: key.id, kind: "restricted", permissions: ["campaigns.read"] });
    const refused = await send(key.key, "GET", "/api/v1/tags");
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: "forbidden", requiredPermission: "tags.read" });
    expect((await send(key.key, "GET", "/api/v1/campaigns")).status).toBe(200);

    const events = await db.auditEvent.findMany({ where: { workspaceId: team.workspace.id, action: "api_key.restricted" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetId: key.id, actorType: "api_key" });
    expect(events[0]!.changes).toMatchObject({
      permissions: { from: ["campaigns.read", "tags.read"], to: ["campaigns.read"] },
      removed: ["tags.read"],
    });
    // Again: nothing unused is left, so nothing changes and nothing is recorded.
    const again = await send(admin.key, "POST", `/api/v1/api-keys/${key.id}/restrict`, { body: {} });
    expect(again.status).toBe(200);
    expect(await db.auditEvent.count({ where: { workspaceId: team.workspace.id, action: "api_key.restricted" } })).toBe(1);
  });

  it("through the browser: the previewed set is what is applied, with the same entry", async () => {
    const { team, key } = await usedKey();
    const result = await asBrowser(team.owner, (slug) =>
      workspaceAction(slug, restrictApiKeyOperation, { params: { id: key.id }, body: { permissions: ["campaigns.read"] } }),
    );
    expect(result).toMatchObject({ ok: true });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).permissions).toEqual(["campaigns.read"]);
    const [event] = await db.auditEvent.findMany({ where: { workspaceId: team.workspace.id, action: "api_key.restricted" } });
    expect(event).toMatchObject({ actorType: "user", actorId: team.owner.user.id });
  });

  it("refuses what would add, or leave nothing, and changes nothing", async () => {
    const { team, admin, key } = await usedKey();
    const unused = await mintKey(team.owner, { name: "Unused", kind: "restricted", permissions: ["tags.read"] });
    const before = await workspaceSnapshot(team.workspace.id);

    const adding = await send(admin.key, "POST", `/api/v1/api-keys/${key.id}/restrict`, { body: { permissions: ["campaigns.write"] } });
    expect(adding.status).toBe(422);
    expect(adding.json).toMatchObject({ errors: { permissions: [expect.stringContaining("campaigns.write")] } });
    const empty = await send(admin.key, "POST", `/api/v1/api-keys/${key.id}/restrict`, { body: { permissions: [] } });
    expect(empty.status).toBe(422);
    const nothingUsed = await send(admin.key, "POST", `/api/v1/api-keys/${unused.id}/restrict`, { body: {} });
    expect(nothingUsed.status).toBe(409);
    expect(nothingUsed.json!.detail).toMatch(/used none of its permissions/);
    const unknownField = await send(admin.key, "POST", `/api/v1/api-keys/${key.id}/restrict`, { body: { kind: "all" } });
    expect(unknownField.status).toBe(422);

    expect(await workspaceSnapshot(team.workspace.id)).toEqual(before);
  });

  it("lets a member restrict only their own keys, as editing does", async () => {
    const { team, key } = await usedKey();
    const membersKey = await mintKey(team.member, { name: "Member admin", kind: "restricted", permissions: ["apiKeys.write"] });
    const ownersKey = await mintKey(team.owner, { name: "Owner's", kind: "restricted", permissions: ["tags.read", "campaigns.read"] });
    const refused = await send(membersKey.key, "POST", `/api/v1/api-keys/${ownersKey.id}/restrict`, {
      body: { permissions: ["tags.read"] },
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ requiredPermission: "apiKeys.manageAll" });
    const own = await send(membersKey.key, "POST", `/api/v1/api-keys/${key.id}/restrict`, { body: { permissions: ["campaigns.read"] } });
    expect(own.status, own.text).toBe(200);
  });
});

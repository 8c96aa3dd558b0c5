import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rollApiKeyOperation, stopApiKeyOperation, updateApiKeyOperation, createApiKeyOperation } from "@/server/api-keys/operations";
import { sweepLapses } from "@/server/audit/lapses";
import { flushKeyUses } from "@/server/auth/last-used";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { peerHeader } from "@/server/http/client-ip";
import { workspaceAction, type ActionResult } from "@/server/http/action";
import { mintKey } from "../support/api";
import { SAME_ORIGIN, sessionCookie } from "../support/doors";
import { createTeam } from "../support/factories";
import { asNextSeesIt, inRequestScope } from "../support/next-request";
import { send, type Answer } from "../support/operation-calls";
import { rememberApiKey } from "../support/secrets";
import { workspaceSnapshot } from "../support/workspace-snapshot";

// Issue 12: rolling keys with a grace period, IP allowlists, ahead-of-time expiry warnings, and the key events
// of the audit log, through both doors: /api/v1 with a key, and the Server Actions a signed-in browser calls.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The server's lifecycle clock (src/server/clock.ts), moved by writing an offset to this file.
const clockFile = path.join(mkdtempSync(path.join(tmpdir(), "heyoo-clock-")), "offset");
async function moveClock(ms: number) {
  writeFileSync(clockFile, String(ms));
  // The clock reads the file at most every 100 ms.
  await new Promise((resolve) => setTimeout(resolve, 150));
}

beforeAll(() => {
  process.env.HEYOO_TEST_CLOCK_FILE = clockFile;
});
beforeEach(() => moveClock(0));
afterAll(async () => {
  await moveClock(0);
  delete process.env.HEYOO_TEST_CLOCK_FILE;
});

const cookies = new Map<string, Promise<string>>();
/** `principal`'s session cookie, made once (signing in writes a Session row: take it before a snapshot). */
function browserCookie(principal: Principal): Promise<string> {
  if (!cookies.has(principal.user.id)) cookies.set(principal.user.id, sessionCookie(principal.user));
  return cookies.get(principal.user.id)!;
}

/** The Server Action door: `operation` as `principal`'s signed-in browser runs it (what actions.ts calls). */
async function asBrowser<T>(
  principal: Principal,
  run: (slug: string) => Promise<ActionResult<T>>,
  headers: Record<string, string> = {},
): Promise<ActionResult<T>> {
  const cookie = await browserCookie(principal);
  const request = asNextSeesIt(
    new Request(`${SAME_ORIGIN}/${principal.workspace.slug}/settings/api-keys`, {
      method: "POST",
      headers: { cookie, origin: SAME_ORIGIN, ...headers },
    }),
  );
  let result: ActionResult<T> | undefined;
  await inRequestScope(request, async () => {
    result = await run(principal.workspace.slug);
    return new Response(null);
  });
  return result!;
}

const me = (key: string, headers: Record<string, string> = {}) => send(key, "GET", "/api/v1/me", { headers });
const roll = (key: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
  send(key, "POST", `/api/v1/api-keys/${id}/roll`, { body, headers });

function secretOf(answer: Answer): string {
  const key = answer.json!.key as string;
  rememberApiKey(key);
  return key;
}

async function auditOf(workspaceId: string, targetId?: string) {
  return db.auditEvent.findMany({
    where: { workspaceId, ...(targetId ? { targetId } : {}) },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
  });
}

describe("rolling a key through the API", () => {
  it("keeps name, owner, permissions, allowlist and expiry; both keys work during the grace period, the old one counted", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
    const old = await mintKey(team.member, {
      name: "Reporting",
      kind: "restricted",
      permissions: ["tags.read"],
      ipAllowlist: ["127.0.0.0/8", "::1", "203.0.113.0/24"],
      expiresAt,
    });
    const answer = await roll(admin.key, old.id, { gracePeriod: "24h" });
    expect(answer.status, answer.text).toBe(201);
    const created = answer.json!;
    const secret = secretOf(answer);
    expect(created).toMatchObject({
      name: "Reporting",
      kind: "restricted",
      permissions: ["tags.read"],
      owner: { id: team.member.user.id, type: "user" },
      ipAllowlist: ["127.0.0.0/8", "::1", "203.0.113.0/24"],
      expiresAt: old.expiresAt,
      status: "active",
      replaces: { id: old.id },
      roll: null,
    });
    expect(created.id).not.toBe(old.id);
    expect(secret).not.toBe(old.key);
    const replaced = created.replaced as Record<string, unknown>;
    expect(replaced).toMatchObject({ id: old.id, status: "rolled", roll: { replacedBy: { id: created.id }, requestsSinceRoll: 0 } });
    const stopsAt = Date.parse((replaced.roll as { stopsAt: string }).stopsAt);
    expect(Math.abs(stopsAt - Date.now() - DAY)).toBeLessThan(60_000);

    const headers = { "x-forwarded-for": "127.0.0.1" };
    for (let i = 0; i < 3; i++) expect((await me(old.key, headers)).status).toBe(200);
    expect((await me(secret, headers)).status).toBe(200);
    await flushKeyUses();
    const listed = await send(admin.key, "GET", `/api/v1/api-keys/${old.id}`);
    expect(listed.json).toMatchObject({ status: "rolled", roll: { requestsSinceRoll: 3 } });
  });

  it("stops the old key at the end of its grace period: 401 expired_api_key saying it was replaced; the new key goes on", async () => {
    const team = await createTeam();
    const old = await mintKey(team.owner, { name: "Deploys" });
    const answer = await roll(old.key, old.id, { gracePeriod: "1h" });
    expect(answer.status, answer.text).toBe(201);
    const secret = secretOf(answer);
    expect((await me(old.key)).status).toBe(200);

    await moveClock(HOUR - 60_000);
    expect((await me(old.key)).status).toBe(200);
    await moveClock(HOUR + 1_000);
    const refused = await me(old.key);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ code: "expired_api_key" });
    expect(refused.json!.detail).toMatch(/replaced when it was rolled/);
    expect((await me(secret)).status).toBe(200);
    const read = await send(secret, "GET", `/api/v1/api-keys/${old.id}`);
    expect(read.json).toMatchObject({ status: "stopped" });
  });

  it('"none" stops the old key at once, and no grace outlasts the key\'s own expiry', async () => {
    const team = await createTeam();
    const now = await mintKey(team.owner, { name: "Now" });
    const rolledNow = await roll(now.key, now.id, { gracePeriod: "none" });
    expect(rolledNow.status).toBe(201);
    secretOf(rolledNow);
    expect((await me(now.key)).status).toBe(401);

    const soon = await mintKey(team.owner, { name: "Soon", expiresAt: new Date(Date.now() + 2 * HOUR).toISOString() });
    const rolledSoon = await roll(soon.key, soon.id, { gracePeriod: "7d" });
    secretOf(rolledSoon);
    const stopsAt = (rolledSoon.json!.replaced as { roll: { stopsAt: string } }).roll.stopsAt;
    expect(stopsAt).toBe(soon.expiresAt);
  });

  it("two rolls of one key racing each other yield exactly one replacement; the other is a 409", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const target = await mintKey(team.owner, { name: "Raced" });
    const answers = await Promise.all(Array.from({ length: 6 }, () => roll(admin.key, target.id, { gracePeriod: "1h" })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    answers.filter((answer) => answer.status === 201).forEach(secretOf);
    expect(await db.apiKey.count({ where: { workspaceId: team.workspace.id, name: "Raced" } })).toBe(2);
    expect((await auditOf(team.workspace.id, target.id)).filter((event) => event.action === "api_key.rolled")).toHaveLength(1);
  });

  it("refuses with a clear error and changes nothing: a bad grace period, a key rolled already, an expired key, someone else's key", async () => {
    const team = await createTeam();
    const owner = await mintKey(team.owner, { name: "Owner's" });
    const member = await mintKey(team.member, { name: "Member's", kind: "all" });
    const before = await workspaceSnapshot(team.workspace.id);

    const bad = await roll(owner.key, owner.id, { gracePeriod: "2h" });
    expect(bad.status).toBe(422);
    expect(bad.json!.errors).toEqual({ gracePeriod: [expect.stringContaining('"none", "1h", "24h" or "7d"')] });
    expect((await roll(owner.key, owner.id, {})).status).toBe(422);
    const theirs = await roll(member.key, owner.id, { gracePeriod: "1h" });
    expect(theirs.status).toBe(403);
    expect(theirs.json).toMatchObject({ requiredPermission: "apiKeys.manageAll" });
    expect((await roll(owner.key, "no-such-key", { gracePeriod: "1h" })).status).toBe(404);
    expect(await workspaceSnapshot(team.workspace.id)).toEqual(before);

    const first = await roll(owner.key, member.id, { gracePeriod: "1h" });
    secretOf(first);
    const again = await roll(owner.key, member.id, { gracePeriod: "1h" });
    expect(again.status).toBe(409);
    expect(again.json!.detail).toMatch(/already rolled/);

    const expiring = await mintKey(team.owner, { name: "Expiring", expiresAt: new Date(Date.now() + 2 * HOUR).toISOString() });
    await moveClock(3 * HOUR);
    const expired = await roll(owner.key, expiring.id, { gracePeriod: "1h" });
    expect(expired.status).toBe(409);
    expect(expired.json!.detail).toMatch(/expired/);
  });
});

describe("rolling and stopping through the browser door (Server Actions)", () => {
  it("rolls, shows the new secret once, and stops the old key now; a member cannot roll an owner's key", async () => {
    const team = await createTeam();
    const old = await mintKey(team.owner, { name: "Browser" });
    const rolled = await asBrowser(team.owner, (slug) =>
      workspaceAction(slug, rollApiKeyOperation, { params: { id: old.id }, body: { gracePeriod: "7d" } }),
    );
    expect(rolled.ok, JSON.stringify(rolled)).toBe(true);
    if (!rolled.ok) return;
    rememberApiKey(rolled.data.key);
    expect(rolled.data).toMatchObject({ name: "Browser", replaces: { id: old.id }, replaced: { id: old.id, status: "rolled" } });
    expect((await me(old.key)).status).toBe(200);

    const stopped = await asBrowser(team.owner, (slug) => workspaceAction(slug, stopApiKeyOperation, { params: { id: old.id } }));
    expect(stopped).toMatchObject({ ok: true, data: { status: "stopped" } });
    expect((await me(old.key)).status).toBe(401);
    expect((await me(rolled.data.key)).status).toBe(200);
    // Stopping it again changes nothing and records nothing.
    const events = await auditOf(team.workspace.id, old.id);
    expect(await asBrowser(team.owner, (slug) => workspaceAction(slug, stopApiKeyOperation, { params: { id: old.id } }))).toMatchObject({
      ok: true,
    });
    expect(await auditOf(team.workspace.id, old.id)).toEqual(events);

    const bad = await asBrowser(team.owner, (slug) =>
      workspaceAction(slug, rollApiKeyOperation, { params: { id: rolled.data.id }, body: { gracePeriod: 7 } }),
    );
    expect(bad).toMatchObject({ ok: false, code: "unprocessable_entity", fieldErrors: { gracePeriod: [expect.any(String)] } });
    const theirs = await asBrowser(team.member, (slug) =>
      workspaceAction(slug, rollApiKeyOperation, { params: { id: rolled.data.id }, body: { gracePeriod: "1h" } }),
    );
    expect(theirs).toMatchObject({ ok: false, code: "forbidden", requiredPermission: "apiKeys.manageAll" });
    const never = await mintKey(team.owner, { name: "Never rolled" });
    const notRolled = await asBrowser(team.owner, (slug) => workspaceAction(slug, stopApiKeyOperation, { params: { id: never.id } }));
    expect(notRolled).toMatchObject({ ok: false, code: "conflict" });
  });
});

describe("IP allowlists", () => {
  it("validates and normalises entries through both doors, and refuses bad ones by field without creating anything", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const created = await send(admin.key, "POST", "/api/v1/api-keys", {
      body: {
        name: "Pinned",
        kind: "all",
        ipAllowlist: [" 203.0.113.7/24 ", "::FFFF:198.51.100.7", "2001:DB8:0:0::1/32", "203.0.113.0/24"],
      },
    });
    expect(created.status, created.text).toBe(201);
    secretOf(created);
    expect(created.json!.ipAllowlist).toEqual(["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"]);

    await browserCookie(team.owner);
    const before = await workspaceSnapshot(team.workspace.id);
    for (const ipAllowlist of [
      ["203.0.113.300"],
      ["10.0.0.0/33"],
      ["localhost"],
      ["1.2.3.4/"],
      Array.from({ length: 101 }, (_, i) => `10.0.${i}.1`),
      "10.0.0.1",
    ]) {
      const answer = await send(admin.key, "POST", "/api/v1/api-keys", { body: { name: "Bad", kind: "all", ipAllowlist } });
      expect(answer.status, JSON.stringify(ipAllowlist)).toBe(422);
      expect(Object.keys(answer.json!.errors as object)).toEqual(["ipAllowlist"]);
    }
    const named = await send(admin.key, "POST", "/api/v1/api-keys", {
      body: { name: "Bad", kind: "all", ipAllowlist: ["10.0.0.1", "nope"] },
    });
    expect((named.json!.errors as Record<string, string[]>).ipAllowlist![0]).toContain('"nope" is not an IP address or CIDR range');
    const browser = await asBrowser(team.owner, (slug) =>
      workspaceAction(slug, createApiKeyOperation, { body: { name: "Bad", kind: "all", ipAllowlist: ["999.1.1.1"] } }),
    );
    expect(browser).toMatchObject({
      ok: false,
      code: "unprocessable_entity",
      fieldErrors: { ipAllowlist: [expect.stringContaining("999.1.1.1")] },
    });
    expect(await workspaceSnapshot(team.workspace.id)).toEqual(before);

    const edited = await asBrowser(team.owner, (slug) =>
      workspaceAction(slug, updateApiKeyOperation, { params: { id: created.json!.id }, body: { ipAllowlist: ["2001:db8::1"] } }),
    );
    expect(edited).toMatchObject({ ok: true, data: { ipAllowlist: ["2001:db8::1"] } });
  });

  it("refuses a request from outside with 403 ip_not_allowed naming the address seen, and changes nothing; IPv4, IPv6 and IPv4-mapped", async () => {
    const team = await createTeam();
    const key = await mintKey(team.owner, { name: "Pinned", ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] });
    // No request filter in these tests: the address is the last X-Forwarded-For entry (one proxy in front).
    const from = (address: string) => ({ "x-forwarded-for": address });
    expect((await me(key.key, from("203.0.113.9"))).status).toBe(200);
    expect((await me(key.key, from("::ffff:203.0.113.10"))).status).toBe(200);
    expect((await me(key.key, from("2001:db8:ffff::1"))).status).toBe(200);
    const before = await workspaceSnapshot(team.workspace.id);
    for (const [address, seen] of [
      ["198.51.100.7", "198.51.100.7"],
      ["::ffff:198.51.100.7", "198.51.100.7"],
      ["2001:db9::1", "2001:db9::1"],
    ]) {
      const answer = await send(key.key, "POST", "/api/v1/tags", { body: { name: "Nope", color: "#123456" }, headers: from(address!) });
      expect(answer.status, address).toBe(403);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.json).toMatchObject({ code: "ip_not_allowed" });
      expect(answer.json!.detail).toContain(`from ${seen}:`);
    }
    expect(await workspaceSnapshot(team.workspace.id)).toEqual(before);
  });

  it("takes the socket's address when the server's request filter gave one: a forged X-Forwarded-For or peer header writes nobody in", async () => {
    const team = await createTeam();
    const key = await mintKey(team.owner, { name: "Pinned", ipAllowlist: ["203.0.113.0/24"] });
    // What raw-path-guard.ts sets on every request the Node server receives (TRUSTED_PROXY_HOPS=0 here).
    const [name, value] = peerHeader("::ffff:198.51.100.7");
    const forged = await me(key.key, { [name]: value, "x-forwarded-for": "203.0.113.5" });
    expect(forged.status).toBe(403);
    expect(forged.json!.detail).toContain("from 198.51.100.7:");
    const [, inside] = peerHeader("203.0.113.20");
    expect((await me(key.key, { [name]: inside, "x-forwarded-for": "198.51.100.1" })).status).toBe(200);
    // A client writing the peer header itself does not know the process's secret: the header is ignored, and
    // without one the last X-Forwarded-For entry (what a platform's proxy appended) decides.
    const selfMade = await me(key.key, { [name]: "guess 203.0.113.5", "x-forwarded-for": "198.51.100.9" });
    expect(selfMade.status).toBe(403);
    expect(selfMade.json!.detail).toContain("from 198.51.100.9:");
  });
});

describe("ahead-of-time expiry warnings", () => {
  it("a key that stops within 7 days carries Heyoo-Key-Expires-At and Heyoo-Key-Warning on successes and refusals alike", async () => {
    const team = await createTeam();
    const expiresAt = new Date(Date.now() + 3 * DAY).toISOString();
    const soon = await mintKey(team.owner, { name: "Soon", expiresAt });
    const ok = await me(soon.key);
    expect(ok.headers.get("heyoo-key-expires-at")).toBe(soon.expiresAt);
    expect(ok.headers.get("heyoo-key-warning")).toMatch(/^This API key expires at .* \(in about 3 days\)\./);
    const missing = await send(soon.key, "GET", "/api/v1/tags/no-such-tag");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("heyoo-key-expires-at")).toBe(soon.expiresAt);

    const later = await mintKey(team.owner, { name: "Later", expiresAt: new Date(Date.now() + 30 * DAY).toISOString() });
    expect((await me(later.key)).headers.get("heyoo-key-expires-at")).toBeNull();
    const never = await mintKey(team.owner, { name: "Never" });
    expect((await me(never.key)).headers.get("heyoo-key-warning")).toBeNull();
    await moveClock(24 * DAY);
    expect((await me(later.key)).headers.get("heyoo-key-warning")).toMatch(/in about 6 days/);

    const rolled = await roll(never.key, never.id, { gracePeriod: "24h" });
    secretOf(rolled);
    const graced = await me(never.key);
    expect(graced.headers.get("heyoo-key-warning")).toMatch(
      /^This API key was rolled and stops working at .*Switch to the key that replaced it\.$/,
    );
    expect(graced.headers.get("heyoo-key-expires-at")).toBe((rolled.json!.replaced as { roll: { stopsAt: string } }).roll.stopsAt);
  });
});

describe("every key event is recorded, in the transaction of its change", () => {
  it("created, edited, rolled, stopped, deleted and expired, with who and from where; refusals record nothing; no secret", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const ua = { "user-agent": "heyoo-test/1.0", "x-forwarded-for": "192.0.2.44" };
    const created = await send(admin.key, "POST", "/api/v1/api-keys", {
      body: { name: "Audited", kind: "restricted", permissions: ["tags.read"], expiresAt: new Date(Date.now() + 2 * HOUR).toISOString() },
      headers: ua,
    });
    const secret = secretOf(created);
    const id = created.json!.id as string;
    await send(admin.key, "PATCH", `/api/v1/api-keys/${id}`, { body: { name: "Audited!", ipAllowlist: ["192.0.2.0/24"] }, headers: ua });
    // A refused change and a no-op change record nothing.
    await send(admin.key, "PATCH", `/api/v1/api-keys/${id}`, { body: { name: "" }, headers: ua });
    await send(admin.key, "PATCH", `/api/v1/api-keys/${id}`, { body: { name: "Audited!" }, headers: ua });
    const rolled = await roll(admin.key, id, { gracePeriod: "1h" }, ua);
    const replacement = secretOf(rolled);
    await asBrowser(team.owner, (slug) => workspaceAction(slug, stopApiKeyOperation, { params: { id } }), {
      "user-agent": "Browser/2",
      "x-forwarded-for": "192.0.2.99",
    });
    await send(admin.key, "DELETE", `/api/v1/api-keys/${id}`, { headers: ua });

    const events = await auditOf(team.workspace.id);
    const ofKey = events.filter((event) => event.targetId === id);
    expect(ofKey.map((event) => event.action)).toEqual([
      "api_key.created",
      "api_key.updated",
      "api_key.rolled",
      "api_key.stopped",
      "api_key.deleted",
    ]);
    expect(ofKey[0]).toMatchObject({
      actorType: "api_key",
      actorId: admin.id,
      actorName: "Admin",
      ipAddress: "192.0.2.44",
      userAgent: "heyoo-test/1.0",
    });
    expect(ofKey[1]!.changes).toEqual({ name: { from: "Audited", to: "Audited!" }, ipAllowlist: { from: [], to: ["192.0.2.0/24"] } });
    expect(ofKey[2]!.changes).toMatchObject({ gracePeriod: "1h", replacedBy: rolled.json!.id });
    expect(ofKey[3]).toMatchObject({ actorType: "user", actorId: team.owner.user.id, ipAddress: "192.0.2.99", userAgent: "Browser/2" });
    const text = JSON.stringify(events);
    for (const value of [secret, replacement, admin.key]) expect(text).not.toContain(value.slice(4));

    // The replacement expires with the old key's expiry: the sweep records it once, at the moment it happened.
    await moveClock(3 * HOUR);
    await sweepLapses(new Date(Date.now() + 3 * HOUR), team.workspace.id);
    await sweepLapses(new Date(Date.now() + 3 * HOUR), team.workspace.id);
    const lapses = (await auditOf(team.workspace.id, rolled.json!.id as string)).filter((event) => event.action === "api_key.expired");
    expect(lapses).toHaveLength(1);
    expect(lapses[0]).toMatchObject({ actorType: "system", occurredAt: new Date(created.json!.expiresAt as string) });
  });

  it("a rolled key reaching the end of its grace is recorded as stopped (by the system), not also as expired", async () => {
    const team = await createTeam();
    const key = await mintKey(team.owner, { name: "Graced", expiresAt: new Date(Date.now() + 5 * DAY).toISOString() });
    const rolled = await roll(key.key, key.id, { gracePeriod: "1h" });
    secretOf(rolled);
    await sweepLapses(new Date(Date.now() + 10 * DAY), team.workspace.id);
    const actions = (await auditOf(team.workspace.id, key.id)).map((event) => `${event.action}:${event.actorType}`);
    expect(actions).toEqual(["api_key.created:user", "api_key.rolled:api_key", "api_key.stopped:system"]);
  });
});

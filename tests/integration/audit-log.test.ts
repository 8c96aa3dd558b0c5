import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deleteAccount } from "@/server/accounts/account-security";
import {
  createInviteOperation,
  changeRoleOperation,
  leaveWorkspaceOperation,
  removeMemberOperation,
  revokeInviteOperation,
} from "@/server/people/operations";
import type { Operation } from "@/server/api/operation";
import { AUDIT_ACTIONS, type AuditAction } from "@/server/audit/actions";
import { sweepLapses } from "@/server/audit/lapses";
import { listAuditActorsOperation } from "@/server/audit/operations";
import { recordAuditEvents, type AuditEventInput } from "@/server/audit/record";
import { execute, type RawInput } from "@/server/api/execute";
import { KEY_SCOPES, PERMISSION_TABLE, rolePermissions } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { db, plainDb } from "@/server/db";
import { workspaceAction, type ActionResult } from "@/server/http/action";
import { withRequestClient } from "@/server/http/request-context";
import { mintKey } from "../support/api";
import { doorOf, SAME_ORIGIN, sendThrough, sessionCookie } from "../support/doors";
import { addMember, createAccount, createTeam, PASSWORD, principalOf, unique } from "../support/factories";
import { neverExistingId, refusal } from "../support/helpers";
import { asNextSeesIt, inRequestScope } from "../support/next-request";
import { send, type Answer } from "../support/operation-calls";
import { rememberSecret } from "../support/secrets";

// Issue 13, item 1: the audit log. Every kind of event is written with its actor, address, user agent and
// changes, in the transaction of the change it records (each way round: a refused change leaves no entry, a
// refused entry leaves no change); GET /api/v1/audit-log pages and filters it under auditLog.read, through both
// doors; and the database refuses to change or delete an entry, except when its workspace is deleted.

const ADDRESS = "203.0.113.7";
const USER_AGENT = "AuditTest/1.0 (integration)";
const CLIENT = { "x-forwarded-for": ADDRESS, "user-agent": USER_AGENT };

/** The workspace's entries, oldest first, as the database holds them. */
function entriesOf(workspaceId: string) {
  return db.auditEvent.findMany({ where: { workspaceId }, orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
}

/** Entries one change wrote together (at one instant), in a fixed order. */
function byAction<T extends { action: string; targetId: string }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => a.action.localeCompare(b.action) || a.targetId.localeCompare(b.targetId));
}

/** Every action the tests below saw written. */
const seen = new Set<string>();

/** The entries `run` added to the workspace. */
async function recordedBy(workspaceId: string, run: () => Promise<unknown>) {
  const before = new Set((await entriesOf(workspaceId)).map((entry) => entry.id));
  await run();
  const added = (await entriesOf(workspaceId)).filter((entry) => !before.has(entry.id));
  for (const entry of added) seen.add(entry.action);
  return added;
}

const cookies = new Map<string, Promise<string>>();
function browserCookie(user: { id: string; email: string }): Promise<string> {
  if (!cookies.has(user.id)) cookies.set(user.id, sessionCookie(user));
  return cookies.get(user.id)!;
}

/** Runs `fn` inside a signed-in browser's request from ADDRESS with USER_AGENT, as a Server Action runs. */
async function inBrowser<T>(user: { id: string; email: string }, fn: () => Promise<T>): Promise<T> {
  const cookie = await browserCookie(user);
  const request = asNextSeesIt(new Request(`${SAME_ORIGIN}/`, { method: "POST", headers: { cookie, origin: SAME_ORIGIN, ...CLIENT } }));
  let result: T | undefined;
  await inRequestScope(request, async () => {
    result = await fn();
    return new Response(null);
  });
  return result!;
}

/** The Server Action door of an operation (what the settings pages' actions.ts call). */
function asBrowser<T>(principal: Principal, operation: Operation, input: RawInput = {}): Promise<ActionResult<T>> {
  return inBrowser(principal.user, () => workspaceAction(principal.workspace.slug, operation, input) as Promise<ActionResult<T>>);
}

/** A Server Action that redirects on success (Next throws the redirect). */
async function followingRedirect(action: () => Promise<unknown>): Promise<string | null> {
  try {
    await action();
    return null;
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    if (!digest.startsWith("NEXT_REDIRECT")) throw error;
    return digest.split(";")[2] ?? "";
  }
}

async function signUpFromInviteRoute(token: string, email: string): Promise<Response> {
  const { POST } = await import("@/app/api/account/sign-up/route");
  const request = asNextSeesIt(
    new Request(`${SAME_ORIGIN}/api/account/sign-up`, {
      method: "POST",
      headers: { origin: SAME_ORIGIN, "content-type": "application/json", ...CLIENT },
      body: JSON.stringify({ name: "Sam Signup", email, password: PASSWORD, inviteToken: token }),
    }),
  );
  return inRequestScope(request, POST);
}

async function inviteToken(owner: Principal): Promise<{ id: string; token: string }> {
  const created = await asBrowser<{ token: string }>(owner, createInviteOperation);
  if (!created.ok) throw new Error(JSON.stringify(created));
  rememberSecret(created.data.token, "invite token");
  const invite = await db.invite.findFirstOrThrow({ where: { workspaceId: owner.workspace.id }, orderBy: { createdAt: "desc" } });
  return { id: invite.id, token: created.data.token };
}

const byKeyFrom = (key: string, method: string, path: string, body?: unknown) => send(key, method, path, { body, headers: CLIENT });

function expectFromClient(entry: { ipAddress: string | null; userAgent: string | null }) {
  expect(entry).toMatchObject({ ipAddress: ADDRESS, userAgent: USER_AGENT });
}

describe("every kind of event is recorded with who, from where and what changed", () => {
  it("machine users: created with their key, deleted with their last key (through the API, actor: the key)", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    let machineKey: Answer | undefined;
    const created = await recordedBy(team.workspace.id, async () => {
      machineKey = await byKeyFrom(admin.key, "POST", "/api/v1/api-keys", { name: "Deployer", kind: "read_only", owner: "machine" });
      expect(machineKey.status, machineKey.text).toBe(201);
    });
    rememberSecret(machineKey!.json!.key as string, "API key");
    const machineUserId = (machineKey!.json!.owner as { id: string }).id;
    expect(byAction(created).map((entry) => entry.action)).toEqual(["api_key.created", "machine_user.created"]);
    expect(created.find((entry) => entry.action === "machine_user.created")).toMatchObject({
      actorType: "api_key",
      actorId: admin.id,
      actorName: "Admin",
      targetType: "machine_user",
      targetId: machineUserId,
      targetName: "Deployer",
      changes: { role: "owner" },
    });
    created.forEach(expectFromClient);

    const deleted = await recordedBy(team.workspace.id, async () => {
      expect((await byKeyFrom(admin.key, "DELETE", `/api/v1/api-keys/${machineKey!.json!.id}`)).status).toBe(204);
    });
    expect(byAction(deleted).map((entry) => [entry.action, entry.targetId])).toEqual([
      ["api_key.deleted", machineKey!.json!.id],
      ["machine_user.deleted", machineUserId],
    ]);
    expect(deleted.find((entry) => entry.action === "machine_user.deleted")).toMatchObject({
      actorType: "api_key",
      actorId: admin.id,
      changes: { reason: "last_key_deleted" },
    });
    deleted.forEach(expectFromClient);
  });

  it("invites: created and revoked (through the browser), never with the link's token", async () => {
    const team = await createTeam();
    let invite: { id: string; token: string } | undefined;
    const created = await recordedBy(team.workspace.id, async () => (invite = await inviteToken(team.owner)));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: "member.invited",
      actorType: "user",
      actorId: team.owner.user.id,
      actorName: "Olivia Owner",
      targetType: "invite",
      targetId: invite!.id,
      targetName: null,
      changes: { role: "member" },
    });
    expectFromClient(created[0]!);
    expect(JSON.stringify(created)).not.toContain(invite!.token);
    const listed = await send((await mintKey(team.owner)).key, "GET", "/api/v1/audit-log", { query: { action: "member.invited" } });
    expect(listed.json).toMatchObject({ data: [{ target: { type: "invite", id: invite!.id, name: null } }] });
    expect(listed.text).not.toContain(invite!.token);

    const revoked = await recordedBy(team.workspace.id, async () => {
      expect(await asBrowser(team.owner, revokeInviteOperation, { body: { inviteId: invite!.id } })).toMatchObject({ ok: true });
    });
    expect(revoked).toMatchObject([
      { action: "member.invite_revoked", targetType: "invite", targetId: invite!.id, actorId: team.owner.user.id },
    ]);
    expectFromClient(revoked[0]!);
  });

  it("joins: by opening the link signed in, and by signing up from it (actor: the person who joined)", async () => {
    const team = await createTeam();
    const byLink = await inviteToken(team.owner);
    const joiner = await createAccount("Jo Joiner");
    const joined = await recordedBy(team.workspace.id, async () => {
      const { acceptInviteAction } = await import("@/app/invite/[token]/actions");
      expect(await inBrowser(joiner.user, () => followingRedirect(() => acceptInviteAction(byLink.token)))).toBe(`/${team.workspace.slug}`);
    });
    expect(joined).toMatchObject([
      {
        action: "member.joined",
        actorType: "user",
        actorId: joiner.user.id,
        actorName: "Jo Joiner",
        targetType: "user",
        targetId: joiner.user.id,
        changes: { role: "member", email: joiner.email, invite: byLink.id, via: "invite_link" },
      },
    ]);
    expectFromClient(joined[0]!);

    const bySignUp = await inviteToken(team.owner);
    const email = `${unique("sam")}@example.com`;
    const signedUp = await recordedBy(team.workspace.id, async () => {
      const answer = await signUpFromInviteRoute(bySignUp.token, email);
      expect(answer.status, await answer.clone().text()).toBe(201);
    });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(signedUp).toMatchObject([
      {
        action: "member.joined",
        actorId: user.id,
        targetId: user.id,
        changes: { role: "member", email, invite: bySignUp.id, via: "sign_up" },
      },
    ]);
    expectFromClient(signedUp[0]!);
  });

  it("role changes, removals (with the keys that go with them) and leaving", async () => {
    const team = await createTeam();
    const grace = await addMember(team.workspace.id, "member", "Grace Hopper");
    const graceKey = await mintKey(await principalOf(grace.user.id, team.workspace.id), { name: "Grace's key" });

    const promoted = await recordedBy(team.workspace.id, async () => {
      expect(
        await asBrowser(team.owner, changeRoleOperation, { body: { membershipId: grace.membership.id, role: "owner" } }),
      ).toMatchObject({
        ok: true,
      });
    });
    expect(promoted).toMatchObject([
      {
        action: "member.role_changed",
        actorId: team.owner.user.id,
        targetType: "user",
        targetId: grace.user.id,
        targetName: "Grace Hopper",
        changes: { role: { from: "member", to: "owner" }, email: grace.user.email },
      },
    ]);
    expectFromClient(promoted[0]!);
    // The same role again changes nothing and records nothing.
    expect(
      await recordedBy(team.workspace.id, () =>
        asBrowser(team.owner, changeRoleOperation, { body: { membershipId: grace.membership.id, role: "owner" } }),
      ),
    ).toEqual([]);

    const removed = await recordedBy(team.workspace.id, async () => {
      expect(await asBrowser(team.owner, removeMemberOperation, { body: { membershipId: grace.membership.id } })).toMatchObject({
        ok: true,
      });
    });
    expect(byAction(removed).map((entry) => [entry.action, entry.targetId, entry.changes])).toEqual([
      ["api_key.deleted", graceKey.id, { partialKey: graceKey.partialKey, reason: "owner_removed" }],
      ["member.removed", grace.user.id, { role: "owner", email: grace.user.email }],
    ]);
    removed.forEach(expectFromClient);

    const left = await recordedBy(team.workspace.id, async () => {
      expect(await asBrowser(team.member, leaveWorkspaceOperation)).toMatchObject({ ok: true });
    });
    expect(left).toMatchObject([
      {
        action: "member.left",
        actorType: "user",
        actorId: team.member.user.id,
        targetId: team.member.user.id,
        changes: { role: "member" },
      },
    ]);
    expectFromClient(left[0]!);
  });

  it("a machine user removed on the People tab: the machine user and its key", async () => {
    const team = await createTeam();
    const machineKey = await mintKey(team.owner, { name: "Robot", owner: "machine" });
    const membership = await db.membership.findFirstOrThrow({ where: { workspaceId: team.workspace.id, userId: machineKey.owner.id } });
    const removed = await recordedBy(team.workspace.id, async () => {
      expect(await asBrowser(team.owner, removeMemberOperation, { body: { membershipId: membership.id } })).toMatchObject({ ok: true });
    });
    expect(byAction(removed).map((entry) => [entry.action, entry.targetType, entry.targetId, entry.changes])).toEqual([
      ["api_key.deleted", "api_key", machineKey.id, { partialKey: machineKey.partialKey, reason: "machine_user_deleted" }],
      ["machine_user.deleted", "machine_user", machineKey.owner.id, { role: "owner", reason: "removed" }],
    ]);
  });

  it("deleting an account: the workspaces it leaves say so, with its keys there", async () => {
    const team = await createTeam();
    const memberKey = await mintKey(team.member, { name: "Max's key" });
    const recorded = await recordedBy(team.workspace.id, () =>
      withRequestClient({ ip: ADDRESS, userAgent: USER_AGENT }, () =>
        deleteAccount({ sessionId: "test", user: team.member.user }, { password: PASSWORD, confirmation: team.member.user.email }),
      ),
    );
    expect(byAction(recorded).map((entry) => [entry.action, entry.actorId, entry.targetId, entry.changes])).toEqual([
      ["api_key.deleted", team.member.user.id, memberKey.id, { partialKey: memberKey.partialKey, reason: "owner_left" }],
      [
        "member.left",
        team.member.user.id,
        team.member.user.id,
        { role: "member", email: team.member.user.email, reason: "account_deleted" },
      ],
    ]);
    recorded.forEach(expectFromClient);
  });

  it("workspace settings: a rename and a slug change, with before and after; saving the same values records nothing", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const slug = unique("renamed");
    const updated = await recordedBy(team.workspace.id, async () => {
      const answer = await byKeyFrom(admin.key, "PATCH", `/api/v1/workspaces/${team.workspace.id}`, { name: "Renamed Inc", slug });
      expect(answer.status, answer.text).toBe(200);
    });
    expect(updated).toMatchObject([
      {
        action: "workspace.updated",
        actorType: "api_key",
        actorId: admin.id,
        targetType: "workspace",
        targetId: team.workspace.id,
        targetName: "Renamed Inc",
        changes: { name: { from: team.workspace.name, to: "Renamed Inc" }, slug: { from: team.workspace.slug, to: slug } },
      },
    ]);
    expectFromClient(updated[0]!);
    const same = await recordedBy(team.workspace.id, () =>
      byKeyFrom(admin.key, "PATCH", `/api/v1/workspaces/${team.workspace.id}`, { name: "Renamed Inc", slug }),
    );
    expect(same).toEqual([]);
  });

  it("covers every action of the log: the ones above, and the key lifecycle's in its own tests", () => {
    // Edited, rolled, stopped, expired and revoked as leaked: tests/integration/key-lifecycle.test.ts and leaked-keys.test.ts;
    // restricted: key-usage.test.ts.
    const elsewhere = [
      "api_key.updated",
      "api_key.rolled",
      "api_key.stopped",
      "api_key.expired",
      "api_key.revoked_leaked",
      "api_key.restricted",
    ];
    expect(AUDIT_ACTIONS.filter((action) => !seen.has(action) && !elsewhere.includes(action))).toEqual([]);
  });
});

describe("an entry and its change commit together or not at all", () => {
  it("a refused change leaves no entry", async () => {
    const team = await createTeam();
    const other = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const ownerMembership = await db.membership.findFirstOrThrow({ where: { workspaceId: team.workspace.id, userId: team.owner.user.id } });
    const invite = await inviteToken(team.owner);
    await asBrowser(team.owner, revokeInviteOperation, { body: { inviteId: invite.id } });
    const before = await entriesOf(team.workspace.id);

    // The last owner cannot be demoted or removed; a slug another workspace has is a 409; a revoked invite is gone.
    expect(await asBrowser(team.owner, changeRoleOperation, { body: { membershipId: ownerMembership.id, role: "member" } })).toMatchObject({
      ok: false,
      code: "conflict",
    });
    expect(await asBrowser(team.owner, removeMemberOperation, { body: { membershipId: ownerMembership.id } })).toMatchObject({
      ok: false,
      code: "conflict",
    });
    expect(await asBrowser(team.owner, leaveWorkspaceOperation)).toMatchObject({ ok: false, code: "conflict" });
    expect(await asBrowser(team.owner, revokeInviteOperation, { body: { inviteId: invite.id } })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    const taken = await byKeyFrom(admin.key, "PATCH", `/api/v1/workspaces/${team.workspace.id}`, {
      name: "Taken",
      slug: other.workspace.slug,
    });
    expect(taken.status).toBe(409);
    expect(await entriesOf(team.workspace.id)).toEqual(before);
  });

  /**
   * Makes every insert into the audit log of `workspaceId` fail, as a full disk or a broken constraint would: a
   * trigger of this test's own (the workspace id is a cuid, safe to write into the function). Other workspaces,
   * and so the other test files sharing the database, are not touched.
   */
  async function refuseEntriesOf(workspaceId: string): Promise<() => Promise<void>> {
    const name = `test_refuse_audit_${unique("t").replace("-", "_")}`;
    await plainDb.$executeRawUnsafe(`CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."workspaceId" = '${workspaceId}' THEN RAISE EXCEPTION 'the audit insert is refused by the test'; END IF;
        RETURN NEW;
      END $$`);
    await plainDb.$executeRawUnsafe(`CREATE TRIGGER "${name}" BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION "${name}"()`);
    return async () => {
      await plainDb.$executeRawUnsafe(`DROP TRIGGER "${name}" ON "AuditEvent"`);
      await plainDb.$executeRawUnsafe(`DROP FUNCTION "${name}"()`);
    };
  }

  it("a refused entry leaves no change: each change fails whole, through the API, the browser and sign-up", async () => {
    const team = await createTeam();
    const admin = await mintKey(team.owner, { name: "Admin" });
    const grace = await addMember(team.workspace.id, "member", "Grace Hopper");
    const machineKey = await mintKey(team.owner, { name: "Robot", owner: "machine" });
    const invite = await inviteToken(team.owner);
    const state = async () => ({
      workspace: await db.workspace.findUniqueOrThrow({ where: { id: team.workspace.id }, select: { name: true, slug: true } }),
      memberships: await db.membership.findMany({
        where: { workspaceId: team.workspace.id },
        select: { id: true, role: true },
        orderBy: { id: "asc" },
      }),
      keys: await db.apiKey.findMany({
        where: { workspaceId: team.workspace.id },
        select: { id: true, name: true },
        orderBy: { id: "asc" },
      }),
      invites: await db.invite.findMany({
        where: { workspaceId: team.workspace.id },
        select: { id: true, revokedAt: true, acceptedAt: true },
        orderBy: { id: "asc" },
      }),
      users: await db.user.count({ where: { memberships: { some: { workspaceId: team.workspace.id } } } }),
      entries: await entriesOf(team.workspace.id),
    });
    const before = await state();
    const joiner = await createAccount("Jo Joiner");
    const email = `${unique("sam")}@example.com`;

    const restore = await refuseEntriesOf(team.workspace.id);
    try {
      const apiCalls: [string, string, unknown][] = [
        ["PATCH", `/api/v1/workspaces/${team.workspace.id}`, { name: "Never saved" }],
        ["POST", "/api/v1/api-keys", { name: "Never made", kind: "read_only" }],
        ["POST", "/api/v1/api-keys", { name: "Never a machine", kind: "read_only", owner: "machine" }],
        ["PATCH", `/api/v1/api-keys/${admin.id}`, { name: "Never renamed" }],
        ["DELETE", `/api/v1/api-keys/${machineKey.id}`, undefined],
      ];
      for (const [method, path, body] of apiCalls) {
        const answer = await byKeyFrom(admin.key, method, path, body);
        expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(500);
      }
      const browserCalls: [Operation, RawInput][] = [
        [createInviteOperation, {}],
        [revokeInviteOperation, { body: { inviteId: invite.id } }],
        [changeRoleOperation, { body: { membershipId: grace.membership.id, role: "owner" } }],
        [removeMemberOperation, { body: { membershipId: grace.membership.id } }],
      ];
      for (const [operation, input] of browserCalls) {
        expect(await asBrowser(team.owner, operation, input), operation.id).toMatchObject({ ok: false, code: "internal_error" });
      }
      expect(await asBrowser(team.member, leaveWorkspaceOperation)).toMatchObject({ ok: false, code: "internal_error" });
      const { acceptInviteAction } = await import("@/app/invite/[token]/actions");
      expect(await inBrowser(joiner.user, () => acceptInviteAction(invite.token))).toMatchObject({ ok: false, code: "internal_error" });
      expect((await signUpFromInviteRoute(invite.token, email)).status).toBe(500);
    } finally {
      await restore();
    }
    expect(await state()).toEqual(before);
    expect(await db.user.count({ where: { email } })).toBe(0);
  });
});

describe("GET /api/v1/audit-log: pages and filters", () => {
  /** A workspace with `count` entries by two people, a key, the system and the scanner, several at the same instant. */
  async function seeded(count: number) {
    const team = await createTeam();
    const reader = await mintKey(team.owner, { name: "Reader", kind: "read_only" });
    const pager = await mintKey(team.owner, { name: "Pager" });
    const start = Date.parse("2026-05-31T20:00:00.000Z");
    const actors = [
      { type: "user", id: team.owner.user.id, name: "Olivia Owner" },
      { type: "user", id: team.member.user.id, name: "Max Member" },
      { type: "api_key", id: reader.id, name: "Reader" },
      { type: "system" },
      { type: "scanner", name: "github" },
    ] as const;
    // No lapse (expired, stopped) among them: a key's lapse is recorded once per instant.
    const actions: AuditAction[] = [
      "api_key.updated",
      "member.role_changed",
      "workspace.updated",
      "api_key.rolled",
      "api_key.revoked_leaked",
    ];
    const events: AuditEventInput[] = Array.from({ length: count }, (_, index) => ({
      workspaceId: team.workspace.id,
      action: actions[index % actions.length]!,
      actor: actors[index % actors.length]!,
      target: { type: "api_key", id: index % 3 === 0 ? reader.id : `target${index % 4}`, name: `Target ${index}` },
      // Three entries per hour: the same instant, told apart by id.
      occurredAt: new Date(start + Math.floor(index / 3) * 3_600_000),
      client: { ip: ADDRESS, userAgent: USER_AGENT },
      changes: { index },
    }));
    await db.$transaction((tx) => recordAuditEvents(tx, events));
    const all = await db.auditEvent.findMany({
      where: { workspaceId: team.workspace.id },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    });
    return { team, reader, all, owner: pager };
  }

  async function everyPage(key: string, query: Record<string, string>): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await send(key, "GET", "/api/v1/audit-log", { query: { ...query, ...(cursor ? { cursor } : {}) } });
      expect(answer.status, answer.text).toBe(200);
      const body = answer.json as { data: { id: string }[]; nextCursor: string | null };
      ids.push(...body.data.map((entry) => entry.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    return { ids, pages };
  }

  it("pages newest first with no duplicate and no gap, ties broken by id, and rows added meanwhile do not shift the pages", async () => {
    const { team, all, owner } = await seeded(23);
    const { ids, pages } = await everyPage(owner.key, { limit: "4" });
    expect(ids).toEqual(all.map((entry) => entry.id));
    expect(pages).toBe(Math.ceil(all.length / 4));

    // A new entry while a client pages: it is before the first page, so the rest go on exactly as they were.
    const first = await send(owner.key, "GET", "/api/v1/audit-log", { query: { limit: "5" } });
    await db.$transaction((tx) =>
      recordAuditEvents(tx, [
        {
          workspaceId: team.workspace.id,
          action: "workspace.updated",
          actor: { type: "system" },
          target: { type: "workspace", id: team.workspace.id, name: "x" },
        },
      ]),
    );
    const rest = await everyPage(owner.key, { limit: "5", cursor: (first.json as { nextCursor: string }).nextCursor });
    expect([...(first.json as { data: { id: string }[] }).data.map((entry) => entry.id), ...rest.ids]).toEqual(
      all.map((entry) => entry.id),
    );
  });

  it("answers each entry in its documented shape: actor, target, address, user agent, changes", async () => {
    const { all, owner } = await seeded(5);
    const answer = await send(owner.key, "GET", "/api/v1/audit-log", { query: { limit: "1", action: "member.role_changed" } });
    const entry = all.find((row) => row.action === "member.role_changed")!;
    expect(answer.json).toEqual({
      data: [
        {
          id: entry.id,
          action: "member.role_changed",
          occurredAt: entry.occurredAt.toISOString(),
          actor: { type: "user", id: entry.actorId, name: "Max Member" },
          target: { type: "api_key", id: entry.targetId, name: entry.targetName },
          ipAddress: ADDRESS,
          userAgent: USER_AGENT,
          changes: { index: 1 },
        },
      ],
      nextCursor: null,
    });
  });

  it("filters by actor (an id, system or scanner), action, target and date range, and pages the filtered log", async () => {
    const { team, reader, all, owner } = await seeded(30);
    const cases: [string, Record<string, string>, (entry: (typeof all)[number]) => boolean][] = [
      ["a person", { actor: team.member.user.id }, (entry) => entry.actorId === team.member.user.id],
      ["a key", { actor: reader.id }, (entry) => entry.actorId === reader.id],
      ["the system", { actor: "system" }, (entry) => entry.actorType === "system"],
      ["the scanner", { actor: "scanner" }, (entry) => entry.actorType === "scanner"],
      ["an action", { action: "workspace.updated" }, (entry) => entry.action === "workspace.updated"],
      ["a target", { target: reader.id }, (entry) => entry.targetId === reader.id],
      [
        "a day (dates are whole UTC days, both ends included)",
        { from: "2026-06-01", to: "2026-06-01" },
        (entry) => entry.occurredAt < new Date("2026-06-02T00:00:00.000Z") && entry.occurredAt >= new Date("2026-06-01T00:00:00.000Z"),
      ],
      [
        "instants with offsets, both included",
        { from: "2026-06-01T04:00:00+01:00", to: "2026-06-01T05:00:00.000Z" },
        (entry) => entry.occurredAt >= new Date("2026-06-01T03:00:00.000Z") && entry.occurredAt <= new Date("2026-06-01T05:00:00.000Z"),
      ],
      [
        "everything at once",
        { actor: team.owner.user.id, action: "api_key.updated", from: "2026-06-01T00:00:00Z" },
        (entry) =>
          entry.actorId === team.owner.user.id &&
          entry.action === "api_key.updated" &&
          entry.occurredAt >= new Date("2026-06-01T00:00:00Z"),
      ],
    ];
    for (const [label, query, matches] of cases) {
      const expected = all.filter(matches).map((entry) => entry.id);
      expect(expected.length, label).toBeGreaterThan(0);
      const { ids } = await everyPage(owner.key, { ...query, limit: "2" });
      expect(ids, label).toEqual(expected);
    }
    // Lapses recorded by the sweep are the system's.
    const expiring = await mintKey(team.owner, { name: "Short-lived", expiresAt: new Date(Date.now() + 2 * 60_000).toISOString() });
    await sweepLapses(new Date(Date.now() + 3 * 60_000), team.workspace.id);
    const lapses = await send(owner.key, "GET", "/api/v1/audit-log", { query: { actor: "system", target: expiring.id } });
    expect(lapses.json).toMatchObject({
      data: [{ action: "api_key.expired", actor: { type: "system", id: null, name: null }, ipAddress: null }],
    });
  });

  it("another workspace's ids in the filters match nothing, exactly like ids that never existed", async () => {
    const { owner } = await seeded(3);
    const other = await seeded(3);
    for (const field of ["actor", "target"]) {
      const withOthers = await send(owner.key, "GET", "/api/v1/audit-log", { query: { [field]: other.team.owner.user.id } });
      const withNever = await send(owner.key, "GET", "/api/v1/audit-log", { query: { [field]: neverExistingId() } });
      expect(withOthers.status).toBe(200);
      expect(withOthers.json).toEqual({ data: [], nextCursor: null });
      expect(withNever.json).toEqual(withOthers.json);
    }
  });

  it.each([
    ["an unknown action", { action: "api_key.exploded" }, "action"],
    ["an actor that is no id", { actor: "not an id!" }, "actor"],
    ["a target that is too long", { target: "x".repeat(65) }, "target"],
    ["a date in words", { from: "yesterday" }, "from"],
    ["a day that does not exist", { to: "2026-02-30" }, "to"],
    ["year 0", { from: "0000-06-01" }, "from"],
    ["a date-time without an offset", { from: "2026-12-01T10:00:00" }, "from"],
    ["to before from", { from: "2026-12-02", to: "2026-12-01" }, "to"],
    ["a page size of 0", { limit: "0" }, "limit"],
    ["a cursor from nowhere", { cursor: Buffer.from("not-a-cursor").toString("base64url") }, "cursor"],
    ["an unknown parameter", { actorId: "abc" }, "actorId"],
  ])("422 for %s, naming the field", async (_, query, field) => {
    const { key } = await mintKey((await createTeam()).owner);
    const answer = await send(key, "GET", "/api/v1/audit-log", { query });
    expect(answer.status, answer.text).toBe(422);
    expect(answer.json).toMatchObject({ code: "unprocessable_entity" });
    expect(Object.keys((answer.json as { errors: Record<string, string[]> }).errors)).toEqual([field]);
  });
});

describe("auditLog.read: owners only, a scope keys can hold", () => {
  it("is the table's: owners hold it, members do not, and a key can be given it", () => {
    expect(PERMISSION_TABLE["auditLog.read"].roles).toEqual(["owner"]);
    expect(rolePermissions("owner").has("auditLog.read")).toBe(true);
    expect(rolePermissions("member").has("auditLog.read")).toBe(false);
    expect(KEY_SCOPES).toContain("auditLog.read");
  });

  it.each(["key", "session"] as const)("a member is refused through the %s door with a 403 naming auditLog.read", async (door) => {
    const team = await createTeam();
    const pass = await doorOf(door, team.member).pass("GET");
    const answer = await sendThrough(pass, "GET", "/api/v1/audit-log");
    expect(answer.status, answer.text).toBe(403);
    expect(answer.json).toMatchObject({ code: "forbidden", requiredPermission: "auditLog.read" });
    expect((await refusal(execute(listAuditActorsOperation, team.member))).details.requiredPermission).toBe("auditLog.read");
  });

  it.each(["key", "session"] as const)("an owner reads it through the %s door", async (door) => {
    const team = await createTeam();
    await mintKey(team.owner);
    const pass = await doorOf(door, team.owner).pass("GET");
    const answer = await sendThrough(pass, "GET", "/api/v1/audit-log");
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json as { data: unknown[] }).data.length).toBeGreaterThan(0);
  });

  it("an owner's keys: All permissions and Read only hold it, Restricted only when chosen", async () => {
    const team = await createTeam();
    const status = async (input: Record<string, unknown>) =>
      (await send((await mintKey(team.owner, input)).key, "GET", "/api/v1/audit-log")).status;
    expect(await status({ kind: "all" })).toBe(200);
    expect(await status({ kind: "read_only" })).toBe(200);
    expect(await status({ kind: "restricted", permissions: ["auditLog.read"] })).toBe(200);
    expect(await status({ kind: "restricted", permissions: ["apiKeys.read", "tags.read"] })).toBe(403);
    // A member cannot give a key what they lack (decision 005).
    expect((await refusal(mintKey(team.member, { kind: "restricted", permissions: ["auditLog.read"] }))).details.requiredPermission).toBe(
      "auditLog.read",
    );
  });

  it("a key made before the permission existed does not gain it (decision 014): its stored set is what it holds", async () => {
    const team = await createTeam();
    const old = await mintKey(team.owner, { kind: "all" });
    await db.apiKey.update({ where: { id: old.id }, data: { permissions: old.permissions.filter((scope) => scope !== "auditLog.read") } });
    const refused = await send(old.key, "GET", "/api/v1/audit-log");
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ requiredPermission: "auditLog.read" });
    expect((await send(old.key, "GET", "/api/v1/api-keys")).status).toBe(200);
  });
});

describe("append-only", () => {
  /** Runs `sql` in a transaction that is rolled back whatever happens, and says how it failed. */
  async function attempt(sql: string): Promise<string> {
    const rolledBack = new Error("rolled back by the test");
    const outcome = await plainDb
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(sql);
        throw rolledBack;
      })
      .catch((error: unknown) => error);
    return outcome === rolledBack ? "allowed" : String((outcome as Error).message);
  }

  it("the database refuses UPDATE, DELETE and TRUNCATE of entries, whoever sends them", async () => {
    const team = await createTeam();
    await mintKey(team.owner);
    const [entry] = await entriesOf(team.workspace.id);
    expect(entry).toBeDefined();
    for (const sql of [
      `UPDATE "AuditEvent" SET "actorName" = 'someone else' WHERE "id" = '${entry!.id}'`,
      `UPDATE "AuditEvent" SET "workspaceId" = "workspaceId" WHERE "workspaceId" = '${team.workspace.id}'`,
      `DELETE FROM "AuditEvent" WHERE "id" = '${entry!.id}'`,
      `DELETE FROM "AuditEvent" WHERE "workspaceId" = '${team.workspace.id}'`,
      `TRUNCATE "AuditEvent"`,
    ]) {
      expect(await attempt(sql), sql).toMatch(/append-only/);
    }
    await expect(db.auditEvent.update({ where: { id: entry!.id }, data: { actorName: "x" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({ where: { id: entry!.id } })).rejects.toThrow(/append-only/);
    expect(await entriesOf(team.workspace.id)).toEqual([entry]);
  });

  it("a DELETE from inside another trigger is refused too while the workspace exists", async () => {
    const team = await createTeam();
    await mintKey(team.owner);
    // A trigger that tries to delete the log when a tag is made: depth 2, like a cascade, but the workspace is there.
    const name = `test_sneaky_${unique("t").replace("-", "_")}`;
    await plainDb.$executeRawUnsafe(`CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM "AuditEvent" WHERE "workspaceId" = NEW."workspaceId"; RETURN NEW; END $$`);
    await plainDb.$executeRawUnsafe(
      `CREATE TRIGGER "${name}" AFTER INSERT ON "Tag" FOR EACH ROW WHEN (NEW."workspaceId" = '${team.workspace.id}') EXECUTE FUNCTION "${name}"()`,
    );
    try {
      await expect(db.tag.create({ data: { workspaceId: team.workspace.id, name: "Sneaky", color: "#123456" } })).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await plainDb.$executeRawUnsafe(`DROP TRIGGER "${name}" ON "Tag"`);
      await plainDb.$executeRawUnsafe(`DROP FUNCTION "${name}"()`);
    }
    expect((await entriesOf(team.workspace.id)).length).toBeGreaterThan(0);
  });

  it("deleting a workspace deletes its log through the cascade, and only its log", async () => {
    const [doomed, kept] = [await createTeam(), await createTeam()];
    await mintKey(doomed.owner);
    const keptEntries = await entriesOf(kept.workspace.id);
    expect((await entriesOf(doomed.workspace.id)).length).toBeGreaterThan(0);
    await db.workspace.delete({ where: { id: doomed.workspace.id } });
    expect(await db.auditEvent.count({ where: { workspaceId: doomed.workspace.id } })).toBe(0);
    expect(await entriesOf(kept.workspace.id)).toEqual(keptEntries);
  });

  it("deleting an account deletes the workspaces only it used, log and all (the app's own path)", async () => {
    const { user, workspace } = await createAccount("Solo Sam");
    const solo = await principalOf(user.id, workspace.id);
    await mintKey(solo, { name: "Solo key", owner: "machine" });
    expect((await entriesOf(workspace.id)).length).toBeGreaterThan(0);
    await deleteAccount({ sessionId: "test", user: solo.user }, { password: PASSWORD, confirmation: solo.user.email });
    expect(await db.workspace.count({ where: { id: workspace.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });

  it("the application has no code that updates or deletes entries", () => {
    const root = path.resolve(import.meta.dirname, "../../src");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (file) => /\.(ts|tsx)$/.test(file) && !file.startsWith(`generated${path.sep}`),
    );
    const writes =
      /auditEvent\s*\.\s*(update|updateMany|updateManyAndReturn|upsert|delete|deleteMany)\b|(UPDATE|DELETE\s+FROM|TRUNCATE)\s+(TABLE\s+)?"AuditEvent"/i;
    expect(files.filter((file) => writes.test(readFileSync(path.join(root, file), "utf8")))).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import * as keysRoute from "@/app/api/v1/api-keys/route";
import * as keyRoute from "@/app/api/v1/api-keys/[id]/route";
import * as meRoute from "@/app/api/v1/me/route";
import { authenticateApiKey } from "@/server/auth/api-key-door";
import { flushKeyUses, recordKeyUse } from "@/server/auth/last-used";
import { generateApiKey } from "@/server/api-keys/key-format";
import { deleteApiKey, updateApiKey } from "@/server/api-keys/manage-api-key";
import { getApiKey, listApiKeys } from "@/server/api-keys/read-api-keys";
import { listApiKeysQuerySchema } from "@/server/api-keys/schemas";
import {
  KEY_KINDS,
  KEY_SCOPES,
  PERMISSION_TABLE,
  PERMISSIONS,
  ROLES,
  rolePermissions,
  scopesForKind,
  type Permission,
} from "@/server/auth/permissions";
import { db } from "@/server/db";
import { changeRole, leaveWorkspace, removeMember } from "@/server/people/manage-members";
import { addMember, createTeam, principalOf } from "../support/factories";
import { call, mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { refusal, scopesWithout } from "../support/helpers";

describe("what a key can do: generated from the permission table", () => {
  // Every key kind × owner role × permission; the expectation is computed from the table's rows.
  const cases = KEY_KINDS.flatMap((kind) => ROLES.map((role) => ({ kind, role })));

  it.each(cases)("a $kind key created by and owned by a $role", async ({ kind, role }) => {
    const team = await createTeam();
    const owner = role === "owner" ? team.owner : team.member;
    const restricted = { campaigns: "write", analytics: "read", apiKeys: "write" } as const;
    const requested = kind === "restricted" ? scopesForKind("restricted", restricted) : scopesForKind(kind);
    const { key, permissions: stored } = await mintKey(owner, { kind, permissions: kind === "restricted" ? requested : undefined });

    // Stored: what was asked for, narrowed to what the creator holds; never more.
    expect(stored.sort()).toEqual(requested.filter((scope) => rolePermissions(role).has(scope)).sort());

    const principal = await authenticateApiKey(key);
    for (const permission of PERMISSIONS) {
      const row = PERMISSION_TABLE[permission];
      const scopeHeld = (scope: string) => stored.includes(scope);
      const expected = rolePermissions(role).has(permission) && row.keys.kind !== "never" && scopeHeld(permission);
      expect(principal.permissions.has(permission), permission).toBe(expected);
    }
  });

  it.each(ROLES)("a %s's session holds exactly its role's permissions", async (role) => {
    const team = await createTeam();
    const principal = role === "owner" ? team.owner : team.member;
    expect([...principal.permissions].sort()).toEqual([...rolePermissions(role)].sort());
  });

  it.each(KEY_SCOPES)("a restricted key without %s is refused it by the API with a 403 naming it", async (missing) => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner, { kind: "restricted", permissions: scopesWithout(missing) });
    const principal = await authenticateApiKey(key);
    expect(principal.permissions.has(missing)).toBe(false);
  });
});

describe("the API key door", () => {
  it("answers 401 with a distinct code for a missing, malformed, unknown or expired key", async () => {
    const { owner } = await createTeam();
    const cases: [Parameters<typeof call>[3], string][] = [
      [{}, "missing_api_key"],
      [{ headers: { authorization: "Basic abc" } }, "malformed_api_key"],
      [{ key: "not-a-key" }, "malformed_api_key"],
      [{ key: `${generateApiKey().key.slice(0, -1)}0` }, "malformed_api_key"],
      [{ key: generateApiKey().key }, "invalid_api_key"],
    ];
    const expired = await mintKey(owner, { expiresAt: new Date(Date.now() + 120_000).toISOString() });
    await db.apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    cases.push([{ key: expired.key }, "expired_api_key"]);

    for (const [options, code] of cases) {
      const response = await call(meRoute.GET, "GET", "/api/v1/me", options);
      expect(response.status, code).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.json).toMatchObject({ status: 401, code });
      expect(String(response.json?.detail)).not.toMatch(/prisma|stack|at /i);
    }
  });

  it("an expired key says so; an unknown key does not reveal whether it ever existed", async () => {
    const { owner } = await createTeam();
    const deleted = await mintKey(owner);
    await deleteApiKey(owner, deleted.id);
    const unknown = await call(meRoute.GET, "GET", "/api/v1/me", { key: generateApiKey().key });
    const revoked = await call(meRoute.GET, "GET", "/api/v1/me", { key: deleted.key });
    const strip = (body: Record<string, unknown> | null) => ({ ...body, requestId: undefined });
    expect(strip(revoked.json)).toEqual(strip(unknown.json));
  });

  it("accepts the scheme in any case, but only the exact key: changed case or inner whitespace is malformed", async () => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner);
    for (const authorization of [`bearer ${key}`, `BEARER  ${key}`, `Bearer ${key} `]) {
      expect((await call(meRoute.GET, "GET", "/api/v1/me", { headers: { authorization } })).status, authorization).toBe(200);
    }
    const altered = [key.toUpperCase(), key.toLowerCase(), `${key.slice(0, 10)} ${key.slice(10)}`, `${key}\tx`, `"${key}"`];
    for (const candidate of altered) {
      const response = await call(meRoute.GET, "GET", "/api/v1/me", { headers: { authorization: `Bearer ${candidate}` } });
      expect(response.status, candidate).toBe(401);
      expect(response.json?.code).toBe("malformed_api_key");
    }
  });

  it("refuses keys in the query string", async () => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner);
    for (const query of [`?api_key=${key}`, `?token=x`, `?q=${key}`]) {
      const response = await call(meRoute.GET, "GET", "/api/v1/me", { query });
      expect(response.status).toBe(400);
      expect(response.json?.code).toBe("api_key_in_query");
    }
  });

  it("GET /api/v1/me tells what the calling key can do", async () => {
    const { owner, workspace } = await createTeam();
    const { key, id } = await mintKey(owner, { kind: "read_only" });
    const response = await call(meRoute.GET, "GET", "/api/v1/me", { key });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
      owner: { id: owner.user.id, name: owner.user.name, type: "user" },
      role: "owner",
      apiKey: { id },
      permissions: PERMISSIONS.filter((permission) => permission.endsWith(".read") && PERMISSION_TABLE[permission].keys.kind === "scope"),
    });
  });

  it("records last use in batches: nothing per request, the latest time at the next flush, never moving back", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    const lastUsed = async () => (await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const before = Date.now();
    const client = apiClient(key);
    expect((await client.GET("/api/v1/me")).response.status).toBe(200);
    expect((await client.GET("/api/v1/me")).response.status).toBe(200);
    // Recorded in memory only: the requests wrote nothing.
    expect(await lastUsed()).toBeNull();
    await flushKeyUses();
    const first = await lastUsed();
    expect(first!.getTime()).toBeGreaterThanOrEqual(before - 5);
    // A flush with nothing new writes nothing; another instance's older time never moves it back.
    await flushKeyUses();
    expect(await lastUsed()).toEqual(first);
    recordKeyUse(id, new Date(first!.getTime() - 60_000));
    await flushKeyUses();
    expect(await lastUsed()).toEqual(first);
    expect((await client.GET("/api/v1/me")).response.status).toBe(200);
    await flushKeyUses();
    expect((await lastUsed())!.getTime()).toBeGreaterThanOrEqual(first!.getTime());
  });
});

describe("secrets", () => {
  it("are returned once at creation, stored only as a SHA-256 hash, and never in a later response", async () => {
    const { owner } = await createTeam();
    const created = await call(keysRoute.POST, "POST", "/api/v1/api-keys", {
      key: (await mintKey(owner)).key,
      body: { name: "CI", kind: "read_only" },
    });
    expect(created.status).toBe(201);
    const secret = String(created.json?.key);
    expect(secret).toMatch(/^hey_[0-9A-Za-z]{36}$/);
    expect(created.json?.partialKey).toBe(`hey_…${secret.slice(-4)}`);

    const rows = await db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "ApiKey" WHERE id = ${String(created.json?.id)}`;
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(secret.slice(4, 20));

    const list = await call(keysRoute.GET, "GET", "/api/v1/api-keys", { key: secret });
    const one = await call(keyRoute.GET, "GET", `/api/v1/api-keys/${created.json?.id}`, {
      key: secret,
      params: { id: String(created.json?.id) },
    });
    for (const response of [list, one]) {
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(secret);
      expect(response.text).not.toMatch(/hashedKey|[0-9a-f]{64}/);
    }
  });

  it("never reach the log while keys are created, used, refused and deleted", async () => {
    const captured: string[] = [];
    const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    for (const name of Object.keys(originals) as (keyof typeof originals)[])
      console[name] = (...args: unknown[]) => void captured.push(args.map(String).join(" "));
    process.stdout.write = ((chunk: string | Uint8Array) => (captured.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => (captured.push(String(chunk)), true)) as typeof process.stderr.write;
    const secrets: string[] = [];
    try {
      const { owner } = await createTeam();
      const first = await mintKey(owner);
      secrets.push(first.key);
      const created = await call(keysRoute.POST, "POST", "/api/v1/api-keys", {
        key: first.key,
        body: { name: "x", kind: "all", owner: "machine" },
      });
      secrets.push(String(created.json?.key));
      await call(meRoute.GET, "GET", "/api/v1/me", { key: String(created.json?.key) });
      await call(meRoute.GET, "GET", "/api/v1/me", { key: `${first.key}x` });
      await call(meRoute.GET, "GET", "/api/v1/me", { query: `?api_key=${first.key}` });
      await call(keyRoute.DELETE, "DELETE", "/x", { key: first.key, params: { id: String(created.json?.id) } });
      await call(meRoute.GET, "GET", "/api/v1/me", { key: String(created.json?.key) });
    } finally {
      Object.assign(console, originals);
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
    expect(secrets.every((secret) => secret.startsWith("hey_"))).toBe(true);
    const log = captured.join("\n");
    for (const secret of secrets) expect(log).not.toContain(secret.slice(4));
  });
});

describe("escalation attempts", () => {
  it("a member cannot create a restricted key with an owner-only permission: 403 naming it, nothing created", async () => {
    const { member, workspace } = await createTeam();
    const before = await db.apiKey.count({ where: { workspaceId: workspace.id } });
    for (const permission of KEY_SCOPES.filter((scope) => !rolePermissions("member").has(scope))) {
      const error = await refusal(mintKey(member, { kind: "restricted", permissions: [permission] }));
      expect(error.details.requiredPermission).toBe(permission);
    }
    expect(await db.apiKey.count({ where: { workspaceId: workspace.id } })).toBe(before);
  });

  it("a restricted key with nothing selected is refused (422), never full access", async () => {
    const { owner } = await createTeam();
    const error = await refusal(mintKey(owner, { kind: "restricted", permissions: [] }));
    expect(error.status).toBe(422);
    expect(error.details.fieldErrors?.permissions).toEqual(["Choose at least one permission."]);
  });

  it("a key cannot mint or widen a key beyond its own effective permissions", async () => {
    const { owner } = await createTeam();
    const limited = await mintKey(owner, { kind: "restricted", permissions: ["apiKeys.write", "tags.read"] });
    const asKey = (body: unknown) => call(keysRoute.POST, "POST", "/api/v1/api-keys", { key: limited.key, body });

    const wider = await asKey({ name: "x", kind: "restricted", permissions: ["campaigns.write"] });
    expect(wider.status).toBe(403);
    expect(wider.json).toMatchObject({ code: "forbidden", requiredPermission: "campaigns.write" });

    const all = await asKey({ name: "x", kind: "all" });
    expect(all.status).toBe(201);
    expect((all.json?.permissions as string[]).sort()).toEqual(["apiKeys.read", "apiKeys.write", "tags.read"]);

    const patch = await call(keyRoute.PATCH, "PATCH", "/x", {
      key: limited.key,
      params: { id: String(all.json?.id) },
      body: { kind: "restricted", permissions: ["domains.write"] },
    });
    expect(patch.status).toBe(403);
    expect(patch.json?.requiredPermission).toBe("domains.write");
  });

  it("a read-only key cannot create keys: 403 naming apiKeys.write", async () => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner, { kind: "read_only" });
    const response = await call(keysRoute.POST, "POST", "/api/v1/api-keys", { key, body: { name: "x", kind: "read_only" } });
    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ code: "forbidden", requiredPermission: "apiKeys.write", status: 403 });
    expect(String(response.json?.detail)).toContain("apiKeys.write");
  });

  it("only an owner (or an owner's key) may create machine users", async () => {
    const { owner, member } = await createTeam();
    expect((await refusal(mintKey(member, { owner: "machine" }))).details.requiredPermission).toBe("machineUsers.create");
    const memberKey = await mintKey(member);
    const viaMemberKey = await call(keysRoute.POST, "POST", "/api/v1/api-keys", {
      key: memberKey.key,
      body: { name: "m", kind: "read_only", owner: "machine" },
    });
    expect(viaMemberKey.json?.requiredPermission).toBe("machineUsers.create");
    const ownerKey = await mintKey(owner);
    const viaOwnerKey = await call(keysRoute.POST, "POST", "/api/v1/api-keys", {
      key: ownerKey.key,
      body: { name: "m", kind: "read_only", owner: "machine" },
    });
    expect(viaOwnerKey.status).toBe(201);
    expect(viaOwnerKey.json?.owner).toMatchObject({ type: "machine", name: "m" });
  });

  it("members manage their own keys; only owners manage everyone's", async () => {
    const { owner, member } = await createTeam();
    const ownersKey = await mintKey(owner);
    const membersKey = await mintKey(member);
    expect((await refusal(deleteApiKey(member, ownersKey.id))).details.requiredPermission).toBe("apiKeys.manageAll");
    expect((await refusal(updateApiKey(member, ownersKey.id, { name: "mine now" }))).details.requiredPermission).toBe("apiKeys.manageAll");
    await updateApiKey(member, membersKey.id, { name: "renamed" });
    expect((await getApiKey(member, ownersKey.id)).name).toBe("Test key");
    await deleteApiKey(owner, membersKey.id);
    expect((await listApiKeys(member, listApiKeysQuerySchema.parse({}))).data.map((key) => key.id)).toEqual([ownersKey.id]);
  });

  it("rejects unknown fields and mass assignment", async () => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner);
    for (const extra of [{ workspaceId: "x" }, { hashedKey: "x" }, { ownerId: "x" }, { id: "x" }, { lastUsedAt: null }]) {
      const response = await call(keysRoute.POST, "POST", "/api/v1/api-keys", { key, body: { name: "x", kind: "all", ...extra } });
      expect(response.status).toBe(422);
    }
  });

  it("answers malformed bodies with 4xx problem+json", async () => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner);
    const cases: [unknown, Record<string, string> | undefined, number][] = [
      ["{not json", undefined, 400],
      ["[]", undefined, 422],
      ["null", undefined, 422],
      [JSON.stringify({ name: "x", kind: "all" }), { "content-type": "text/plain" }, 415],
      ["x".repeat(70_000), undefined, 413],
      [JSON.stringify({ name: "x".repeat(65), kind: "all" }), undefined, 422],
      [JSON.stringify({ name: "x", kind: "everything" }), undefined, 422],
      [JSON.stringify({ name: "x", kind: "restricted", permissions: ["analytics.write"] }), undefined, 422],
      [JSON.stringify({ name: "x", kind: "all", expiresAt: "2001-01-01" }), undefined, 422],
      [JSON.stringify({ name: "x", kind: "all", expiresAt: "soon" }), undefined, 422],
      [JSON.stringify({ name: "x", kind: "all", expiresAt: 1893456000000 }), undefined, 422],
    ];
    for (const [body, headers, status] of cases) {
      const response = await call(keysRoute.POST, "POST", "/api/v1/api-keys", { key, body, headers });
      expect(response.status, String(body).slice(0, 60)).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});

describe("tenancy", () => {
  it("another workspace's key id answers 404, exactly like an id that never existed", async () => {
    const a = await createTeam();
    const b = await createTeam();
    const aKey = await mintKey(a.owner);
    const bKey = await mintKey(b.owner);
    for (const [handler, method, body] of [
      [keyRoute.GET, "GET", undefined],
      [keyRoute.PATCH, "PATCH", { name: "stolen" }],
      [keyRoute.DELETE, "DELETE", undefined],
    ] as const) {
      const foreign = await call(handler, method, "/x", { key: bKey.key, params: { id: aKey.id }, body });
      const missing = await call(handler, method, "/x", { key: bKey.key, params: { id: "does-not-exist" }, body });
      expect(foreign.status).toBe(404);
      expect({ ...foreign.json, requestId: 0 }).toEqual({ ...missing.json, requestId: 0 });
    }
    expect((await getApiKey(a.owner, aKey.id)).name).toBe("Test key");
    const list = await call(keysRoute.GET, "GET", "/api/v1/api-keys", { key: bKey.key });
    expect(list.text).not.toContain(aKey.id);
  });
});

describe("revocation and turnover", () => {
  it("a deleted key is refused on the very next request", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    expect((await call(meRoute.GET, "GET", "/api/v1/me", { key })).status).toBe(200);
    const deleted = await call(keyRoute.DELETE, "DELETE", "/x", { key, params: { id } });
    expect(deleted.status).toBe(204);
    expect((await call(meRoute.GET, "GET", "/api/v1/me", { key })).json?.code).toBe("invalid_api_key");
  });

  it("removing a member, or a member leaving, deletes their keys for that workspace at once", async () => {
    const team = await createTeam();
    const { key } = await mintKey(team.member);
    await removeMember(team.owner, team.memberMembershipId);
    expect(await db.apiKey.count({ where: { ownerId: team.member.user.id } })).toBe(0);
    expect((await call(meRoute.GET, "GET", "/api/v1/me", { key })).status).toBe(401);

    const leaver = await addMember(team.workspace.id);
    const leaverPrincipal = await principalOf(leaver.user.id, team.workspace.id);
    const leaverKey = await mintKey(leaverPrincipal);
    await leaveWorkspace(leaverPrincipal);
    expect((await call(meRoute.GET, "GET", "/api/v1/me", { key: leaverKey.key })).status).toBe(401);
  });

  it("demoting an owner shrinks their keys' effective permissions at once", async () => {
    const { owner, workspace } = await createTeam();
    const second = await addMember(workspace.id, "owner");
    const secondPrincipal = await principalOf(second.user.id, workspace.id);
    const { key } = await mintKey(secondPrincipal);
    expect((await authenticateApiKey(key)).permissions.has("workspaces.write")).toBe(true);
    await changeRole(owner, second.membership.id, "member");
    const after = await authenticateApiKey(key);
    expect(after.permissions.has("workspaces.write")).toBe(false);
    expect([...after.permissions].every((permission: Permission) => rolePermissions("member").has(permission))).toBe(true);
  });
});

describe("machine users", () => {
  async function machineKey() {
    const team = await createTeam();
    const created = await mintKey(team.owner, { owner: "machine", name: "Deploy bot" });
    const membership = await db.membership.findFirstOrThrow({ where: { userId: created.owner.id }, include: { user: true } });
    return { team, created, membership };
  }

  it("is a workspace member that cannot sign in, named after its key, outside the seat count", async () => {
    const { created, membership } = await machineKey();
    expect(created.owner).toMatchObject({ type: "machine", name: "Deploy bot" });
    expect(membership.user).toMatchObject({ isMachine: true, name: "Deploy bot" });
    const stored = await db.user.findUniqueOrThrow({ where: { id: membership.userId }, omit: { passwordHash: false } });
    expect(stored.passwordHash).toBeNull();
  });

  it("deleting its key deletes the machine user", async () => {
    const { team, created, membership } = await machineKey();
    await deleteApiKey(team.owner, created.id);
    expect(await db.user.findUnique({ where: { id: membership.userId } })).toBeNull();
  });

  it("deleting the machine user deletes its key", async () => {
    const { team, created, membership } = await machineKey();
    await removeMember(team.owner, membership.id);
    expect(await db.apiKey.findUnique({ where: { id: created.id } })).toBeNull();
    expect((await call(meRoute.GET, "GET", "/api/v1/me", { key: created.key })).status).toBe(401);
  });

  it("when both deletes race, neither a machine user without a key nor a key without its owner remains", async () => {
    const workspaceIds: string[] = [];
    for (let round = 0; round < 5; round++) {
      const { team, created, membership } = await machineKey();
      workspaceIds.push(team.workspace.id);
      await Promise.allSettled([deleteApiKey(team.owner, created.id), removeMember(team.owner, membership.id)]);
      expect(await db.user.findUnique({ where: { id: membership.userId } })).toBeNull();
      expect(await db.apiKey.findUnique({ where: { id: created.id } })).toBeNull();
    }
    const orphans = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "User" u JOIN "Membership" m ON m."userId" = u.id
      WHERE u."isMachine" AND m."workspaceId" = ANY(${workspaceIds})
        AND NOT EXISTS (SELECT 1 FROM "ApiKey" k WHERE k."ownerId" = u.id)`;
    expect(Number(orphans[0]!.n)).toBe(0);
  });

  it("a machine user's key cannot create a second key for itself", async () => {
    const { created } = await machineKey();
    const response = await call(keysRoute.POST, "POST", "/api/v1/api-keys", { key: created.key, body: { name: "x", kind: "all" } });
    expect(response.status).toBe(422);
  });
});

// The API-key cache (src/server/auth/key-cache.ts, principal-changes.ts): a known key is answered from memory,
// and every change to what its principal is built from is applied before the change returns. Runs on the
// embedded database (one process: local invalidation) and on a server (TEST_DATABASE_URL: the listener,
// triggers and acknowledgements).
import { afterEach, describe, expect, it, vi } from "vitest";
import { deleteApiKey, updateApiKey } from "@/server/api-keys/manage-api-key";
import { hashApiKey } from "@/server/api-keys/key-format";
import { authenticateApiKey } from "@/server/auth/api-key-door";
import { KeyCache, parseChange, type CachedKey } from "@/server/auth/key-cache";
import { flushKeyUses, pendingKeyUses, recordKeyUse } from "@/server/auth/last-used";
import { principalChanges } from "@/server/auth/principal-changes";
import { runShutdownHooks } from "@/server/shutdown";
import { db, plainDb } from "@/server/db";
import { changeRole, removeMember } from "@/server/people/manage-members";
import { updateWorkspace } from "@/server/workspaces/update-workspace";
import { mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { createTeam, unique } from "../support/factories";

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: "accepted" }),
    (error: { code: string }) => error,
  );

function entry(keyId: string, workspaceId = "w1", userId = "u1"): CachedKey {
  return {
    keyId,
    workspaceId,
    userId,
    expiresAt: null,
    stopsAt: null,
    leakedAt: null,
    ipAllowlist: [],
    principal: {
      workspace: { id: workspaceId, slug: "s", name: "n" },
      user: { id: userId, name: "u", email: "u@example.com", isMachine: false },
      role: "owner",
      apiKey: { id: keyId, name: "Cached", stopsAt: null, rolled: false },
      permissions: new Set(),
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("KeyCache", () => {
  it("drops a fill whose read began before an invalidation (the read may have seen the old state)", () => {
    const cache = new KeyCache(10);
    const ticket = cache.ticket();
    cache.invalidate({ kind: "key", keyId: "k1" });
    expect(cache.fill(ticket, "h1", entry("k1"))).toBe(false);
    expect(cache.get("h1")).toBeUndefined();
    // Any invalidation counts, even of another key: the counter does not know what the read will return.
    const second = cache.ticket();
    cache.invalidate({ kind: "workspace", workspaceId: "other" });
    expect(cache.fill(second, "h1", entry("k1"))).toBe(false);
    expect(cache.fill(cache.ticket(), "h1", entry("k1"))).toBe(true);
    expect(cache.get("h1")?.keyId).toBe("k1");
  });

  it("drops entries by key, member, user and workspace, and only those", () => {
    const cache = new KeyCache(10);
    const fill = () => {
      cache.clear();
      cache.fill(cache.ticket(), "a", entry("ka", "w1", "u1"));
      cache.fill(cache.ticket(), "b", entry("kb", "w1", "u2"));
      cache.fill(cache.ticket(), "c", entry("kc", "w2", "u1"));
    };
    const left = () => ["a", "b", "c"].filter((hash) => cache.get(hash));
    const cases: [string, string[]][] = [
      ["k:ka", ["b", "c"]],
      ["m:w1:u1", ["b", "c"]],
      ["u:u1", ["b"]],
      ["w:w1", ["c"]],
      ["*", []],
    ];
    for (const [payload, expected] of cases) {
      fill();
      cache.invalidate(parseChange(payload)!);
      expect(left(), payload).toEqual(expected);
    }
    expect(parseChange("m:w1")).toBeNull();
    expect(parseChange("x:1")).toBeNull();
  });

  it("is bounded, dropping the least recently used entry", () => {
    const cache = new KeyCache(2);
    cache.fill(cache.ticket(), "a", entry("ka"));
    cache.fill(cache.ticket(), "b", entry("kb"));
    cache.get("a");
    cache.fill(cache.ticket(), "c", entry("kc"));
    expect([cache.get("a")?.keyId, cache.get("b")?.keyId, cache.get("c")?.keyId]).toEqual(["ka", undefined, "kc"]);
    expect(cache.size).toBe(2);
  });

  it("serves nothing and fills nothing while it is not trusted, and forgets a fill from before trust was lost", () => {
    let trusted = true;
    const cache = new KeyCache(10, () => trusted);
    cache.fill(cache.ticket(), "a", entry("ka"));
    const ticket = cache.ticket();
    trusted = false;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.ticket()).toBeNull();
    expect(cache.fill(ticket, "b", entry("kb"))).toBe(false);
    // The listener drops everything when it loses its connection and again when it is back.
    cache.clear();
    trusted = true;
    expect(cache.fill(ticket, "b", entry("kb"))).toBe(false);
    expect(cache.get("a")).toBeUndefined();
  });
});

describe("the API-key door with its cache", () => {
  /** The principal, once the cache holds the key (the listener may still be connecting on a server). */
  async function warm(key: string) {
    const changes = principalChanges();
    await changes.start();
    for (let i = 0; i < 50 && !changes.cache.get(hashApiKey(key)); i++) {
      await authenticateApiKey(key);
      if (!changes.cache.get(hashApiKey(key))) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(changes.cache.get(hashApiKey(key)), "the key is cached").toBeDefined();
  }

  it("answers a known key without reading the database", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    await warm(key);
    const read = vi.spyOn(db.apiKey, "findUnique");
    for (let i = 0; i < 5; i++) expect((await authenticateApiKey(key)).apiKey?.id).toBe(id);
    expect(read).not.toHaveBeenCalled();
    // An unknown key still reads (nothing is cached for it).
    const { key: other } = await mintKey(owner);
    await authenticateApiKey(other);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("honours expiry from the cached entry, without a change notification", async () => {
    const { owner } = await createTeam();
    const expiresAt = new Date(Date.now() + 120_000);
    const { key } = await mintKey(owner, { expiresAt: expiresAt.toISOString() });
    await warm(key);
    const read = vi.spyOn(db.apiKey, "findUnique");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(expiresAt.getTime() + 1));
    expect((await refusal(authenticateApiKey(key))).code).toBe("expired_api_key");
    expect(read).not.toHaveBeenCalled();
  });

  it("drops a stale fill: a read that saw the key before it was deleted does not bring it back", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    const findUnique = db.apiKey.findUnique.bind(db.apiKey);
    // The read runs, then the key is deleted (and the deletion applied) before the read's answer is used.
    vi.spyOn(db.apiKey, "findUnique").mockImplementationOnce(((args: Parameters<typeof findUnique>[0]) =>
      findUnique(args).then(async (row) => {
        await deleteApiKey(owner, id);
        return row;
      })) as unknown as typeof findUnique);
    await principalChanges().start();
    // This request began before the deletion: it may still be let through, as without a cache.
    await authenticateApiKey(key).catch(() => {});
    expect(principalChanges().cache.get(hashApiKey(key))).toBeUndefined();
    expect((await refusal(authenticateApiKey(key))).code).toBe("invalid_api_key");
  });

  it("waits for the caches after the change has committed, not inside its transaction", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    await warm(key);
    const changes = principalChanges();
    const awaitApplied = changes.awaitApplied.bind(changes);
    const seen: (string | null)[] = [];
    vi.spyOn(changes, "awaitApplied").mockImplementation(async () => {
      // Another connection sees only what has committed.
      const rows = await plainDb.$queryRaw<{ id: string }[]>`SELECT id FROM "ApiKey" WHERE id = ${id}`;
      seen.push(rows[0]?.id ?? null);
      return awaitApplied();
    });
    await deleteApiKey(owner, id);
    expect(seen).toEqual([null]);
  });

  it("applies every change to a principal before the change returns", async () => {
    const changes: [
      string,
      (team: Awaited<ReturnType<typeof createTeam>>, key: { id: string; key: string }) => Promise<unknown>,
      (result: { code?: string; role?: string; workspace?: { name: string }; permissions?: ReadonlySet<string> }) => void,
    ][] = [
      ["delete the key", (team, key) => deleteApiKey(team.owner, key.id), (r) => expect(r.code).toBe("invalid_api_key")],
      [
        "narrow the key to read-only",
        (team, key) => updateApiKey(team.owner, key.id, { kind: "read_only" }),
        (r) => expect(r.permissions?.has("campaigns.write")).toBe(false),
      ],
      ["demote its owner", (team) => changeRole(team.owner, team.memberMembershipId, "member"), (r) => expect(r.role).toBe("member")],
      ["remove its owner", (team) => removeMember(team.owner, team.memberMembershipId), (r) => expect(r.code).toBe("invalid_api_key")],
      [
        "rename the workspace",
        (team) => updateWorkspace(team.owner, team.workspace.id, { name: "Renamed" }),
        (r) => expect(r.workspace?.name).toBe("Renamed"),
      ],
      [
        "expire it with raw SQL",
        (_, key) => db.$executeRaw`UPDATE "ApiKey" SET "expiresAt" = now() - interval '1 minute' WHERE id = ${key.id}`,
        (r) => expect(r.code).toBe("expired_api_key"),
      ],
    ];
    for (const [what, change, check] of changes) {
      for (let round = 0; round < 3; round++) {
        const team = await createTeam();
        // The member is made an owner first, so demoting them is a change.
        if (what === "demote its owner") await changeRole(team.owner, team.memberMembershipId, "owner");
        const member = what === "demote its owner" ? { ...team.member, role: "owner" as const } : team.member;
        const key = await mintKey(what.includes("owner") ? member : team.owner, { name: unique("k") });
        await warm(key.key);
        await change(team, key);
        // No waiting: the very next request after the change returned.
        const result = await authenticateApiKey(key.key).then(
          (principal) => principal as { role?: string; workspace?: { name: string }; permissions?: ReadonlySet<string> },
          (error: { code: string }) => ({ code: error.code }),
        );
        check(result);
      }
    }
  });
});

describe("batched last-used times", () => {
  const lastUsedOf = async (id: string) => (await db.apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;

  it("are written by the shutdown hooks", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    expect((await apiClient(key).GET("/api/v1/me")).response.status).toBe(200);
    expect(await lastUsedOf(id)).toBeNull();
    await runShutdownHooks();
    expect(await lastUsedOf(id)).not.toBeNull();
    expect(pendingKeyUses()).toBe(0);
  });

  it("survive a failed flush: one line in the log, no secret, written by the next flush, and no request fails", async () => {
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner);
    await flushKeyUses();
    const at = new Date(Date.now() - 1_000);
    recordKeyUse(id, at);
    vi.spyOn(plainDb, "$transaction").mockRejectedValueOnce(new Error("cannot execute UPDATE in a read-only transaction\ndetail"));
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(flushKeyUses()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledTimes(1);
    const line = String(logged.mock.calls[0]![0]);
    expect(line).toMatch(
      /^\[heyoo\] last-used times of 1 key\(s\) not written, retrying in the next flush: cannot execute UPDATE in a read-only transaction$/,
    );
    expect(line).not.toContain(key);
    expect(await lastUsedOf(id)).toBeNull();
    expect((await authenticateApiKey(key)).apiKey?.id).toBe(id);
    await flushKeyUses();
    expect((await lastUsedOf(id))!.getTime()).toBeGreaterThanOrEqual(at.getTime());
  });
});

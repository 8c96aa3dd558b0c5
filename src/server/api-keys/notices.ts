import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { EXPIRING_SOON_MS } from "./expiry";

/** How many keys of each kind the notice names; the rest it counts. */
export const NOTICE_KEYS = 3;

const noticeSelect = { id: true, name: true, partialKey: true } satisfies Prisma.ApiKeySelect;

/**
 * What the workspace's owners are told on every page of it: keys found in public (revoked, and neither rolled
 * nor deleted yet), and keys that still work but stop within a week, by their expiry or at the end of a roll's
 * grace period. Each kind is counted, and its first few named (the latest leaks, the soonest stops).
 */
export async function apiKeyNotices(principal: Principal, now: Date) {
  const workspaceId = principal.workspace.id;
  const horizon = new Date(now.getTime() + EXPIRING_SOON_MS);
  const leakedWhere: Prisma.ApiKeyWhereInput = { workspaceId, leakedAt: { not: null }, rolledAt: null };
  // Working now: not leaked, not expired, not past a roll's end.
  const working: Prisma.ApiKeyWhereInput = {
    workspaceId,
    leakedAt: null,
    AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, { OR: [{ stopsAt: null }, { stopsAt: { gt: now } }] }],
  };
  const byExpiry: Prisma.ApiKeyWhereInput = { ...working, expiresAt: { gt: now, lte: horizon } };
  const byRoll: Prisma.ApiKeyWhereInput = { ...working, stopsAt: { gt: now, lte: horizon } };

  // The soonest few by each column are enough to find the soonest few by whichever comes first: a key among
  // the first few by its earlier time has at most as many keys before it in that column's order.
  const [leakedCount, leaked, stoppingCount, expiring, ending] = await Promise.all([
    db.apiKey.count({ where: leakedWhere }),
    db.apiKey.findMany({
      where: leakedWhere,
      orderBy: [{ leakedAt: "desc" }, { id: "asc" }],
      take: NOTICE_KEYS,
      select: { ...noticeSelect, leakedAt: true, leakSource: true },
    }),
    db.apiKey.count({ where: { OR: [byExpiry, byRoll] } }),
    db.apiKey.findMany({
      where: byExpiry,
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: NOTICE_KEYS,
      select: { ...noticeSelect, expiresAt: true, stopsAt: true },
    }),
    db.apiKey.findMany({
      where: byRoll,
      orderBy: [{ stopsAt: "asc" }, { id: "asc" }],
      take: NOTICE_KEYS,
      select: { ...noticeSelect, expiresAt: true, stopsAt: true },
    }),
  ]);

  const stopping = new Map<string, { id: string; name: string; partialKey: string; stopsAt: Date; reason: "expiry" | "roll" }>();
  for (const key of [...expiring, ...ending]) {
    const rollEnds = key.stopsAt !== null && (key.expiresAt === null || key.stopsAt < key.expiresAt);
    const stopsAt = rollEnds ? key.stopsAt! : key.expiresAt!;
    stopping.set(key.id, { id: key.id, name: key.name, partialKey: key.partialKey, stopsAt, reason: rollEnds ? "roll" : "expiry" });
  }

  return {
    leaked: {
      total: leakedCount,
      keys: leaked.map((key) => ({
        id: key.id,
        name: key.name,
        partialKey: key.partialKey,
        foundAt: key.leakedAt!.toISOString(),
        source: key.leakSource === "github" ? ("github" as const) : ("public_report" as const),
      })),
    },
    stopping: {
      total: stoppingCount,
      keys: [...stopping.values()]
        .sort((a, b) => a.stopsAt.getTime() - b.stopsAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, NOTICE_KEYS)
        .map((key) => ({ ...key, stopsAt: key.stopsAt.toISOString() })),
    },
  };
}

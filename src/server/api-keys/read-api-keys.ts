import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { now as clockNow } from "@/server/clock";
import { db } from "@/server/db";
import type { Principal } from "@/server/auth/principal";
import { notFound } from "@/server/http/errors";
import { likeText } from "@/server/like-text";
import { EXPIRING_SOON_MS } from "./expiry";
import { SORT_SPECS, decodeListCursor, encodeListCursor, nullRun, valuedRun } from "./list-cursor";
import type { ApiKey, ListApiKeysQuery } from "./schemas";
import { apiKeySelect, toApiKeyView } from "./serialize";

/**
 * A page of the workspace's keys, filtered by name, kind and owner, in the query's sort (see list-cursor.ts);
 * members see every key's metadata (never a secret). Keys used or changed while a client pages can move in
 * the last-used order: a page never repeats a row of itself, and continues after the row it ended on.
 */
export async function listApiKeys(principal: Principal, query: ListApiKeysQuery): Promise<{ data: ApiKey[]; nextCursor: string | null }> {
  const spec = SORT_SPECS[query.sort];
  const position = query.cursor ? decodeListCursor(query.cursor, query.sort) : null;
  const filters: Prisma.ApiKeyWhereInput = {
    workspaceId: principal.workspace.id,
    kind: query.kind,
    ...(query.q ? { name: { contains: likeText(query.q), mode: "insensitive" } } : {}),
    ...(query.owner === "machine" ? { membership: { user: { isMachine: true } } } : query.owner ? { ownerId: query.owner } : {}),
  };
  const take = query.limit + 1;
  const read = (run: ReturnType<typeof valuedRun>, count: number) =>
    db.apiKey.findMany({ where: { AND: [filters, run.where] }, orderBy: run.orderBy, take: count, select: apiKeySelect });

  const rows = position?.value === null ? [] : await read(valuedRun(spec, position), take);
  if (rows.length < take && spec.column !== "createdAt") rows.push(...(await read(nullRun(spec, position), take - rows.length)));

  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeListCursor({ sort: query.sort, value: last[spec.column], id: last.id }) : null;
  const now = clockNow();
  return { data: page.map((row) => toApiKeyView(row, now)), nextCursor };
}

export async function getApiKey(principal: Principal, id: string): Promise<ApiKey> {
  const row = await db.apiKey.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: apiKeySelect });
  if (!row) throw notFound("API key");
  return toApiKeyView(row, clockNow());
}

/** The people (not machine users) who own at least one key of the workspace: the keys list's owner filter. */
export async function listApiKeyOwners(principal: Principal): Promise<{ id: string; name: string }[]> {
  return db.user.findMany({
    where: { isMachine: false, memberships: { some: { workspaceId: principal.workspace.id, apiKeys: { some: {} } } } },
    select: { id: true, name: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

/**
 * What the workspace home shows of its keys: how many there are, those that expire within a week (or have
 * expired in the last one), and the most recently used.
 */
export async function apiKeysOverview(principal: Principal, now: Date) {
  const workspaceId = principal.workspace.id;
  const [total, expired, expiring, recentlyUsed] = await Promise.all([
    db.apiKey.count({ where: { workspaceId } }),
    db.apiKey.count({ where: { workspaceId, expiresAt: { lte: now } } }),
    db.apiKey.findMany({
      where: {
        workspaceId,
        expiresAt: { gt: new Date(now.getTime() - EXPIRING_SOON_MS), lte: new Date(now.getTime() + EXPIRING_SOON_MS) },
      },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: 5,
      select: apiKeySelect,
    }),
    db.apiKey.findMany({
      where: { workspaceId, lastUsedAt: { not: null } },
      orderBy: [{ lastUsedAt: "desc" }, { id: "desc" }],
      take: 5,
      select: apiKeySelect,
    }),
  ]);
  return {
    total,
    expired,
    expiring: expiring.map((row) => toApiKeyView(row, now)),
    recentlyUsed: recentlyUsed.map((row) => toApiKeyView(row, now)),
  };
}

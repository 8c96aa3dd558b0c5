import "server-only";
import type { Permission } from "@/server/auth/permissions";
import { isPermission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { now as clockNow } from "@/server/clock";
import { db, type Tx } from "@/server/db";
import { displayText } from "@/server/display-text";
import { notFound } from "@/server/http/errors";
import { normaliseIp, parseIp } from "@/server/http/ip-address";
import { ADVICE_WINDOW_DAYS, permissionAdvice } from "./advice";
import type { ApiKeyUsage } from "./schemas";

// A key's usage as its page and GET /api/v1/api-keys/{id}/usage show it: requests per day (90 days), per hour
// (48 hours) and per operation, by status class, from ApiKeyUsage (written by src/server/auth/last-used.ts),
// and the permissions those requests used (advice.ts).

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const USAGE_DAYS = 90;
export const USAGE_HOURS = 48;
/** How many keys back a roll chain is followed for the advice (each replaced key's requests count too). */
const MAX_REPLACED_KEYS = 20;

/** What the usage needs to know of the API's operations (the registry, passed in: it imports every service). */
export type OperationIndex = ReadonlyMap<
  string,
  { method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; path: string; permission: Permission | null }
>;

type StatusClasses = { "2xx": number; "4xx": number; "5xx": number };
const zero = (): StatusClasses => ({ "2xx": 0, "4xx": 0, "5xx": 0 });
const classKey = (statusClass: number) => (statusClass === 2 ? "2xx" : statusClass === 4 ? "4xx" : "5xx") as keyof StatusClasses;
const iso = (date: Date) => date.toISOString();

/** What the advice needs of a key: its scopes, and where its roll chain starts. */
export interface AdvisedKey {
  id: string;
  permissions: string[];
  createdAt: Date;
  replaces: { id: string } | null;
}

/**
 * The key and the keys it replaced (a roll chain) that were created after `since` began, newest first: a rolled
 * key's replacement inherits its history, so the advice of a key rolled yesterday still reads 30 days.
 */
async function keyLineage(tx: Tx, key: AdvisedKey, since: Date): Promise<{ ids: string[]; createdAt: Date }> {
  const ids = [key.id];
  let current: Pick<AdvisedKey, "createdAt" | "replaces"> = key;
  while (current.replaces && current.createdAt > since && ids.length < MAX_REPLACED_KEYS) {
    ids.push(current.replaces.id);
    current = await tx.apiKey.findUniqueOrThrow({
      where: { id: current.replaces.id },
      select: { createdAt: true, replaces: { select: { id: true } } },
    });
  }
  return { ids, createdAt: current.createdAt };
}

/** The permissions used, over `since`, by the requests of these keys that reached their operation. */
async function usedPermissions(tx: Tx, ids: string[], since: Date, operations: OperationIndex): Promise<Set<Permission>> {
  const rows = await tx.$queryRaw<{ operation: string }[]>`
    SELECT "operation" FROM "ApiKeyUsage"
    WHERE "apiKeyId" = ANY(${ids}::text[]) AND "hour" >= (${iso(since)}::timestamptz AT TIME ZONE 'UTC')
    GROUP BY "operation" HAVING sum("requests" - "refused") > 0`;
  const used = new Set<Permission>();
  for (const { operation } of rows) {
    const permission = operations.get(operation)?.permission;
    if (permission && isPermission(permission)) used.add(permission);
  }
  return used;
}

export interface KeyAdvice {
  held: string[];
  observedSince: Date;
  advice: ReturnType<typeof permissionAdvice>;
}

/** The advice for a key of the principal's workspace, read in `tx` (restrict reads it with the key locked). */
export async function keyAdvice(tx: Tx, key: AdvisedKey, operations: OperationIndex, now: Date): Promise<KeyAdvice> {
  const windowStart = new Date(now.getTime() - ADVICE_WINDOW_DAYS * DAY_MS);
  const lineage = await keyLineage(tx, key, windowStart);
  const observedSince = lineage.createdAt > windowStart ? lineage.createdAt : windowStart;
  const used = await usedPermissions(tx, lineage.ids, windowStart, operations);
  return { held: key.permissions, observedSince, advice: permissionAdvice(key.permissions, used) };
}

export async function getApiKeyUsage(principal: Principal, id: string, operations: OperationIndex): Promise<ApiKeyUsage> {
  const now = clockNow();
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const from = new Date(today - (USAGE_DAYS - 1) * DAY_MS);
  const firstHour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - (USAGE_HOURS - 1) * HOUR_MS);

  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id, workspaceId: principal.workspace.id },
      select: {
        id: true,
        ownerId: true,
        permissions: true,
        createdAt: true,
        replaces: { select: { id: true } },
        lastUsedAt: true,
        lastUsedIp: true,
        lastUsedUserAgent: true,
      },
    });
    if (!key) throw notFound("API key");

    const [dayRows, hourRows, operationRows] = [
      await tx.$queryRaw<{ day: string; statusClass: number; requests: number }[]>`
        SELECT to_char(date_trunc('day', "hour"), 'YYYY-MM-DD') AS day, "statusClass",
               LEAST(sum("requests"), 2147483647)::int AS requests
        FROM "ApiKeyUsage" WHERE "apiKeyId" = ${key.id} AND "hour" >= (${iso(from)}::timestamptz AT TIME ZONE 'UTC')
        GROUP BY 1, 2`,
      await tx.$queryRaw<{ hour: Date; statusClass: number; requests: number }[]>`
        SELECT "hour", "statusClass", LEAST(sum("requests"), 2147483647)::int AS requests
        FROM "ApiKeyUsage" WHERE "apiKeyId" = ${key.id} AND "hour" >= (${iso(firstHour)}::timestamptz AT TIME ZONE 'UTC')
        GROUP BY 1, 2`,
      await tx.$queryRaw<{ operation: string; statusClass: number; requests: number; refused: number }[]>`
        SELECT "operation", "statusClass", LEAST(sum("requests"), 2147483647)::int AS requests,
               LEAST(sum("refused"), 2147483647)::int AS refused
        FROM "ApiKeyUsage" WHERE "apiKeyId" = ${key.id} AND "hour" >= (${iso(from)}::timestamptz AT TIME ZONE 'UTC')
        GROUP BY 1, 2`,
    ];

    const days = Array.from({ length: USAGE_DAYS }, (_, i) => ({
      date: iso(new Date(from.getTime() + i * DAY_MS)).slice(0, 10),
      ...zero(),
    }));
    const dayIndex = new Map(days.map((day) => [day.date, day]));
    const total = zero();
    for (const row of dayRows) {
      const day = dayIndex.get(row.day);
      if (!day) continue;
      day[classKey(row.statusClass)] += row.requests;
      total[classKey(row.statusClass)] += row.requests;
    }

    const hours = Array.from({ length: USAGE_HOURS }, (_, i) => ({ hour: iso(new Date(firstHour.getTime() + i * HOUR_MS)), ...zero() }));
    const hourIndex = new Map(hours.map((hour) => [hour.hour, hour]));
    for (const row of hourRows) {
      const hour = hourIndex.get(iso(new Date(row.hour)));
      if (hour) hour[classKey(row.statusClass)] += row.requests;
    }

    const byOperation = new Map<string, StatusClasses & { requests: number; refused: number }>();
    for (const row of operationRows) {
      const counted = byOperation.get(row.operation) ?? { requests: 0, refused: 0, ...zero() };
      counted.requests += row.requests;
      counted.refused += row.refused;
      counted[classKey(row.statusClass)] += row.requests;
      byOperation.set(row.operation, counted);
    }
    const operationList = [...byOperation]
      .flatMap(([operation, counted]) => {
        const known = operations.get(operation);
        // An operation that no longer exists (renamed or removed since) is history without a path to show.
        return known ? [{ operation, method: known.method, path: known.path, permission: known.permission, ...counted }] : [];
      })
      .sort((a, b) => b.requests - a.requests || a.operation.localeCompare(b.operation));

    const { observedSince, advice } = await keyAdvice(tx, key, operations, now);
    // Addresses and user agents are the key owner's business, and the workspace owners' (like the audit log's).
    const seesClient = key.ownerId === principal.user.id || principal.permissions.has("apiKeys.manageAll");

    return {
      apiKeyId: key.id,
      from: iso(from),
      to: iso(now),
      total: { requests: total["2xx"] + total["4xx"] + total["5xx"], ...total },
      days,
      hours,
      operations: operationList,
      lastUsed: key.lastUsedAt
        ? {
            at: iso(key.lastUsedAt),
            ip: seesClient && key.lastUsedIp !== null && parseIp(key.lastUsedIp) ? normaliseIp(key.lastUsedIp) : null,
            userAgent: seesClient ? displayText(key.lastUsedUserAgent) : null,
          }
        : null,
      advice: {
        windowDays: ADVICE_WINDOW_DAYS,
        observedSince: iso(observedSince),
        observedDays: Math.min(ADVICE_WINDOW_DAYS, Math.floor((now.getTime() - observedSince.getTime()) / DAY_MS)),
        ...advice,
      },
    };
  });
}

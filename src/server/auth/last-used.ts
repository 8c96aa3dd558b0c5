import "server-only";
import { now as clockNow } from "@/server/clock";
import { config } from "@/server/config";
import { plainDb } from "@/server/db";

type Raw = Pick<typeof plainDb, "$executeRawUnsafe">;
import { onShutdown } from "@/server/shutdown";
import type { RequestClient } from "@/server/http/request-context";

// A key's use without a write per request: each instance keeps in memory, per key, the latest use (time,
// address, User-Agent) and the number of requests, and per key, UTC hour, operation and status class the
// requests of its usage chart (ApiKeyUsage). Every LAST_USED_FLUSH_SECONDS it writes them in one transaction
// whose statements only ever move a time forward and add to counts, so instances flushing in any order agree
// and their counts sum exactly. A crash loses at most the uses since the last flush (one interval); SIGTERM
// flushes them. A failed flush (database down or read-only) keeps everything for the next one and never fails
// a request. The UI's "last used" and the usage chart are accurate to the flush interval.

/** Rows of one statement, far below PostgreSQL's 65,535 parameters (6 per usage row). */
const MAX_ROWS_PER_STATEMENT = 2_000;
/** How long usage is kept; the chart shows the last 90 days. One day more, so the oldest day is whole. */
export const USAGE_RETENTION_DAYS = 91;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** What one request with a key did, as its usage records it. */
export interface KeyRequest {
  /** The operation's id, e.g. "listCampaigns". */
  operation: string;
  /** The answer's HTTP status. */
  status: number;
  /** Refused before the operation ran: the key lacked the operation's permission, or was over its rate limit. */
  refused: boolean;
  client: RequestClient;
}

interface UsageCount {
  hour: number;
  operation: string;
  statusClass: number;
  requests: number;
  refused: number;
}

interface KeyUses {
  /** The latest use, epoch milliseconds, and the client that made it (when known). */
  at: number;
  client: RequestClient | null;
  count: number;
  usage: Map<string, UsageCount>;
}

const globalForUses = globalThis as unknown as {
  heyooKeyUses?: { pending: Map<string, KeyUses>; timer: NodeJS.Timeout | null; prunedAt: number };
};
const state = (globalForUses.heyooKeyUses ??= { pending: new Map(), timer: null, prunedAt: 0 });

function keep(keyId: string, uses: KeyUses): void {
  const known = state.pending.get(keyId);
  if (!known) {
    state.pending.set(keyId, uses);
    return;
  }
  if (uses.at >= known.at && uses.client) known.client = uses.client;
  known.at = Math.max(known.at, uses.at);
  known.count += uses.count;
  for (const [slot, counted] of uses.usage) {
    const row = known.usage.get(slot);
    if (!row) known.usage.set(slot, counted);
    else {
      row.requests += counted.requests;
      row.refused += counted.refused;
    }
  }
}

/** The first digit of a status: 2, 4 or 5 (anything else, which the API never answers, counts as 5). */
export function statusClassOf(status: number): 2 | 4 | 5 {
  if (status >= 200 && status < 300) return 2;
  if (status >= 400 && status < 500) return 4;
  return 5;
}

/** Records that a key was used at `at` (and, for a request, what it did); written by the next flush. */
export function recordKeyUse(keyId: string, at: Date, request?: KeyRequest): void {
  const usage = new Map<string, UsageCount>();
  if (request) {
    const hour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
    const statusClass = statusClassOf(request.status);
    usage.set(`${hour}\u0000${request.operation}\u0000${statusClass}`, {
      hour,
      operation: request.operation,
      statusClass,
      requests: 1,
      refused: request.refused ? 1 : 0,
    });
  }
  keep(keyId, { at: at.getTime(), client: request?.client ?? null, count: 1, usage });
  if (!state.timer) {
    state.timer = setInterval(() => void flushKeyUses(), config().LAST_USED_FLUSH_SECONDS * 1000);
    state.timer.unref();
    onShutdown(flushKeyUses);
  }
}

/** Keys whose uses are recorded but not yet written. */
export function pendingKeyUses(): number {
  return state.pending.size;
}

/** Splits the batch into groups of keys whose usage rows fit one statement. */
function chunks(batch: [string, KeyUses][]): [string, KeyUses][][] {
  const groups: [string, KeyUses][][] = [];
  let group: [string, KeyUses][] = [];
  let rows = 0;
  for (const entry of batch) {
    const size = Math.max(1, entry[1].usage.size);
    if (group.length > 0 && rows + size > MAX_ROWS_PER_STATEMENT) {
      groups.push(group);
      group = [];
      rows = 0;
    }
    group.push(entry);
    rows += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function writeKeyUses(tx: Raw, group: [string, KeyUses][]) {
  const values = group
    .map((_, i) => `($${5 * i + 1}, $${5 * i + 2}::timestamptz AT TIME ZONE 'UTC', $${5 * i + 3}::int, $${5 * i + 4}, $${5 * i + 5})`)
    .join(", ");
  const params = group.flatMap(([id, uses]) => [
    id,
    new Date(uses.at).toISOString(),
    uses.count,
    uses.client?.ip ?? null,
    uses.client?.userAgent?.slice(0, 500) ?? null,
  ]);
  // Not `db`: a use is no change to a principal (the triggers ignore these columns), so this write must not
  // wait for the key caches of other instances. The client is the latest request's, whichever instance saw it.
  return tx.$executeRawUnsafe(
    `UPDATE "ApiKey" AS k
     SET "lastUsedAt" = GREATEST(k."lastUsedAt", v.at),
         "requestCount" = LEAST(k."requestCount"::bigint + v.n, 2147483647)::int,
         "lastUsedIp" = CASE WHEN v.ip IS NOT NULL AND (k."lastUsedAt" IS NULL OR v.at >= k."lastUsedAt") THEN v.ip ELSE k."lastUsedIp" END,
         "lastUsedUserAgent" = CASE WHEN v.ip IS NOT NULL AND (k."lastUsedAt" IS NULL OR v.at >= k."lastUsedAt") THEN v.ua ELSE k."lastUsedUserAgent" END
     FROM (VALUES ${values}) AS v(id, at, n, ip, ua)
     WHERE k.id = v.id`,
    ...params,
  );
}

function writeUsage(tx: Raw, group: [string, KeyUses][]) {
  const rows = group.flatMap(([id, uses]) => [...uses.usage.values()].map((row) => ({ id, ...row })));
  if (rows.length === 0) return;
  const values = rows
    .map(
      (_, i) =>
        `($${6 * i + 1}, $${6 * i + 2}::timestamptz AT TIME ZONE 'UTC', $${6 * i + 3}, $${6 * i + 4}::smallint, $${6 * i + 5}::int, $${6 * i + 6}::int)`,
    )
    .join(", ");
  const params = rows.flatMap((row) => [
    row.id,
    new Date(row.hour).toISOString(),
    row.operation,
    row.statusClass,
    row.requests,
    row.refused,
  ]);
  // Adds to what other instances wrote. Only rows of keys that still exist (a key deleted since is skipped),
  // in primary-key order, so two instances adding to the same rows take their locks in the same order.
  return tx.$executeRawUnsafe(
    `INSERT INTO "ApiKeyUsage" AS u ("apiKeyId", "hour", "operation", "statusClass", "requests", "refused")
     SELECT v.id, v.hour, v.operation, v.class, v.requests, v.refused
     FROM (VALUES ${values}) AS v(id, hour, operation, class, requests, refused)
     JOIN "ApiKey" k ON k.id = v.id
     ORDER BY v.id, v.hour, v.operation, v.class
     ON CONFLICT ("apiKeyId", "hour", "operation", "statusClass") DO UPDATE
     SET "requests" = LEAST(u."requests"::bigint + EXCLUDED."requests", 2147483647)::int,
         "refused" = LEAST(u."refused"::bigint + EXCLUDED."refused", 2147483647)::int`,
    ...params,
  );
}

/** Deletes usage older than the retention (USAGE_RETENTION_DAYS whole days before `now`'s day). */
export async function deleteOldUsage(now: Date): Promise<void> {
  const cutoff = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - USAGE_RETENTION_DAYS * DAY_MS);
  await plainDb.$executeRawUnsafe(`DELETE FROM "ApiKeyUsage" WHERE "hour" < $1::timestamptz AT TIME ZONE 'UTC'`, cutoff.toISOString());
}

/** deleteOldUsage, at most once an hour per instance (a flush runs every few seconds). */
async function pruneUsage(now: Date): Promise<void> {
  if (now.getTime() - state.prunedAt < HOUR_MS) return;
  state.prunedAt = now.getTime();
  await deleteOldUsage(now);
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);
}

/** Writes every recorded use; never throws. */
export async function flushKeyUses(): Promise<void> {
  if (state.pending.size === 0) return;
  const batch = [...state.pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  state.pending.clear();
  const groups = chunks(batch);
  for (const [index, group] of groups.entries()) {
    try {
      // Both or neither: a retried group never counts a request twice in one place and once in the other.
      await plainDb.$transaction(async (tx) => {
        await writeKeyUses(tx, group);
        await writeUsage(tx, group);
      });
    } catch (error) {
      const unwritten = groups.slice(index).flat();
      for (const [id, uses] of unwritten) keep(id, uses);
      console.error(`[heyoo] last-used times of ${unwritten.length} key(s) not written, retrying in the next flush: ${reasonOf(error)}`);
      return;
    }
  }
  try {
    await pruneUsage(clockNow());
  } catch (error) {
    console.error(`[heyoo] old key usage not deleted, retrying in an hour: ${reasonOf(error)}`);
  }
}

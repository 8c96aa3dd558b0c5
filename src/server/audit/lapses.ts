import "server-only";
import { now as clockNow } from "@/server/clock";
import { plainDb } from "@/server/db";

// Events nobody performs: a key passing its expiry, a rolled key reaching the end of its grace period. A sweep
// on every instance (started by the first API-key request) records them once a minute, dated when they
// happened; a partial unique index (see the api_key_lifecycle migration) makes every other instance's insert of
// the same lapse a no-op. So the audit log shows a lapse at most a minute after it happened.

const SWEEP_MS = 60_000;
const globalForLapses = globalThis as unknown as { heyooLapseSweep?: NodeJS.Timeout };

function failed(error: unknown): void {
  const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);
  console.error(`[heyoo] key lapses not recorded, retrying in the next sweep: ${reason}`);
}

/** Records every lapse up to `now` not recorded yet (of one workspace, or all), in one statement per kind. */
export async function sweepLapses(now: Date = clockNow(), workspaceId?: string): Promise<void> {
  // Whichever came first is the lapse: a rolled key that stopped before its expiry did not also "expire".
  for (const [action, column, first] of [
    ["api_key.expired", "expiresAt", `(k."stopsAt" IS NULL OR k."stopsAt" >= k."expiresAt")`],
    ["api_key.stopped", "stopsAt", `(k."expiresAt" IS NULL OR k."stopsAt" < k."expiresAt")`],
  ] as const) {
    await plainDb.$executeRawUnsafe(
      `INSERT INTO "AuditEvent" ("id", "workspaceId", "action", "actorType", "targetType", "targetId", "targetName", "occurredAt")
       SELECT 'lapse_' || md5(k."id" || $1 || k."${column}"::text), k."workspaceId", $1, 'system', 'api_key', k."id", k."name", k."${column}"
       FROM "ApiKey" AS k
       WHERE k."${column}" <= $2 AND ${first} AND k."leakedAt" IS NULL AND ($3::text IS NULL OR k."workspaceId" = $3)
       ON CONFLICT DO NOTHING`,
      action,
      now,
      workspaceId ?? null,
    );
  }
}

/** Starts the minute sweep of this process, once. */
export function startLapseSweep(): void {
  if (globalForLapses.heyooLapseSweep) return;
  globalForLapses.heyooLapseSweep = setInterval(() => void sweepLapses().catch(failed), SWEEP_MS);
  globalForLapses.heyooLapseSweep.unref();
}

import "server-only";
import { config } from "@/server/config";
import { plainDb } from "@/server/db";
import { onShutdown } from "@/server/shutdown";

// A key's "last used" without a write per request: uses are kept in memory (the latest per key) and written
// every LAST_USED_FLUSH_SECONDS in one statement that only ever moves a time forward, so instances flushing
// in any order agree. A failed flush (database down or read-only) keeps the times for the next one and never
// fails a request. The UI's "last used" is accurate to the flush interval.

const MAX_KEYS_PER_STATEMENT = 1_000;

const globalForUses = globalThis as unknown as { heyooKeyUses?: { pending: Map<string, number>; timer: NodeJS.Timeout | null } };
const state = (globalForUses.heyooKeyUses ??= { pending: new Map(), timer: null });

function keep(keyId: string, at: number): void {
  const known = state.pending.get(keyId);
  if (known === undefined || known < at) state.pending.set(keyId, at);
}

/** Records that a key was used at `at`; written by the next flush. */
export function recordKeyUse(keyId: string, at: Date): void {
  keep(keyId, at.getTime());
  if (!state.timer) {
    state.timer = setInterval(() => void flushKeyUses(), config().LAST_USED_FLUSH_SECONDS * 1000);
    state.timer.unref();
    onShutdown(flushKeyUses);
  }
}

/** Key uses recorded but not yet written. */
export function pendingKeyUses(): number {
  return state.pending.size;
}

/** Writes every recorded use; never throws. */
export async function flushKeyUses(): Promise<void> {
  if (state.pending.size === 0) return;
  const batch = [...state.pending];
  state.pending.clear();
  for (let start = 0; start < batch.length; start += MAX_KEYS_PER_STATEMENT) {
    const chunk = batch.slice(start, start + MAX_KEYS_PER_STATEMENT);
    const values = chunk.map((_, i) => `($${2 * i + 1}, $${2 * i + 2}::timestamptz AT TIME ZONE 'UTC')`).join(", ");
    const params = chunk.flatMap(([id, at]) => [id, new Date(at).toISOString()]);
    try {
      // Not `db`: a last-used time is no change to a principal (the triggers ignore this column too), so this
      // write must not wait for the key caches of other instances.
      await plainDb.$executeRawUnsafe(
        `UPDATE "ApiKey" AS k SET "lastUsedAt" = v.at
         FROM (VALUES ${values}) AS v(id, at)
         WHERE k.id = v.id AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < v.at)`,
        ...params,
      );
    } catch (error) {
      for (const [id, at] of batch.slice(start)) keep(id, at);
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);
      console.error(`[heyoo] last-used times of ${batch.length - start} key(s) not written, retrying in the next flush: ${reason}`);
      return;
    }
  }
}

import "server-only";
import { config } from "@/server/config";
import { plainDb } from "@/server/db";
import { onShutdown } from "@/server/shutdown";

// A key's "last used" and request count without a write per request: uses are kept in memory (the latest time
// and the number of uses per key) and written every LAST_USED_FLUSH_SECONDS in one statement that only ever
// moves a time forward and adds to the count, so instances flushing in any order agree. A crash loses at most
// the uses since the last flush; SIGTERM flushes them. A failed flush (database down or read-only) keeps the times for the next one and never
// fails a request. The UI's "last used" is accurate to the flush interval.

const MAX_KEYS_PER_STATEMENT = 1_000;

interface Uses {
  /** The latest use, epoch milliseconds. */
  at: number;
  count: number;
}

const globalForUses = globalThis as unknown as { heyooKeyUses?: { pending: Map<string, Uses>; timer: NodeJS.Timeout | null } };
const state = (globalForUses.heyooKeyUses ??= { pending: new Map(), timer: null });

function keep(keyId: string, uses: Uses): void {
  const known = state.pending.get(keyId);
  if (!known) state.pending.set(keyId, { ...uses });
  else {
    known.at = Math.max(known.at, uses.at);
    known.count += uses.count;
  }
}

/** Records that a key was used at `at`; written by the next flush. */
export function recordKeyUse(keyId: string, at: Date): void {
  keep(keyId, { at: at.getTime(), count: 1 });
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
    const values = chunk.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}::timestamptz AT TIME ZONE 'UTC', $${3 * i + 3}::int)`).join(", ");
    const params = chunk.flatMap(([id, uses]) => [id, new Date(uses.at).toISOString(), uses.count]);
    try {
      // Not `db`: a last-used time or a count is no change to a principal (the triggers ignore these columns), so this
      // write must not wait for the key caches of other instances.
      await plainDb.$executeRawUnsafe(
        `UPDATE "ApiKey" AS k
         SET "lastUsedAt" = GREATEST(k."lastUsedAt", v.at), "requestCount" = LEAST(k."requestCount"::bigint + v.n, 2147483647)::int
         FROM (VALUES ${values}) AS v(id, at, n)
         WHERE k.id = v.id`,
        ...params,
      );
    } catch (error) {
      for (const [id, uses] of batch.slice(start)) keep(id, uses);
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);
      console.error(`[heyoo] last-used times of ${batch.length - start} key(s) not written, retrying in the next flush: ${reason}`);
      return;
    }
  }
}

import "server-only";
import { recordAuditEvents } from "@/server/audit/record";
import { db } from "@/server/db";

// The one place a key is revoked as leaked, for both doors. The key's row stays (its owner sees when, who
// reported it and where); the door refuses it from the next request on, on every instance: an update of
// "ApiKey" through `db` returns only once every instance dropped its cached entries (src/server/db.ts).

export type LeakSource = "github" | "public_report";

export interface LeakSighting {
  hashedKey: string;
  /** Where the key was found, when the reporter said. */
  url: string | null;
  /** What the audit event records beyond the source and the URL, e.g. where on GitHub the match was. */
  details?: Record<string, string>;
}

/**
 * Marks every key among `sightings` that is not marked yet as leaked, with one audit event each, in one
 * transaction; a key reported again (also by two reports at once: the update's row lock serialises them)
 * keeps its first report and gets no second event. The statements depend on the distinct URLs reported,
 * never on which keys exist. Returns the hashes of the keys that are leaked now, newly or from before.
 */
export async function markKeysLeaked(sightings: readonly LeakSighting[], source: LeakSource, now: Date = new Date()): Promise<Set<string>> {
  // The first sighting of a key names it; one update per distinct URL.
  const byUrl = new Map<string | null, LeakSighting[]>();
  const seen = new Set<string>();
  for (const sighting of sightings) {
    if (seen.has(sighting.hashedKey)) continue;
    seen.add(sighting.hashedKey);
    const group = byUrl.get(sighting.url);
    if (group) group.push(sighting);
    else byUrl.set(sighting.url, [sighting]);
  }
  if (seen.size === 0) return new Set();

  return db.$transaction(async (tx) => {
    const events = [];
    for (const [url, group] of byUrl) {
      const details = new Map(group.map((sighting) => [sighting.hashedKey, sighting.details]));
      const marked = await tx.apiKey.updateManyAndReturn({
        where: { hashedKey: { in: [...details.keys()] }, leakedAt: null },
        data: { leakedAt: now, leakSource: source, leakUrl: url },
        select: { id: true, name: true, workspaceId: true, hashedKey: true },
      });
      for (const key of marked) {
        events.push({
          workspaceId: key.workspaceId,
          action: "api_key.revoked_leaked" as const,
          actor: { type: "scanner" as const, name: source },
          target: { type: "api_key" as const, id: key.id, name: key.name },
          changes: { source, url, ...details.get(key.hashedKey) },
          occurredAt: now,
        });
      }
    }
    await recordAuditEvents(tx, events);
    const leaked = await tx.apiKey.findMany({
      where: { hashedKey: { in: [...seen] }, leakedAt: { not: null } },
      select: { hashedKey: true },
    });
    return new Set(leaked.map((key) => key.hashedKey));
  });
}

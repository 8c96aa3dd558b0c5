import type { Principal } from "./principal";

// The in-memory half of the hot path (docs/DESIGN.md, "Hot path"): a known key becomes its principal without a
// database statement. Correctness rests on three rules, kept here so that they can be tested on their own:
//   1. An entry is only served while the process is `trusted`: its listener is connected and has proved it
//      recently (principal-changes.ts). Otherwise every request reads the database.
//   2. A change notification drops every entry it could concern, by key, by member (workspace + user), by user
//      or by workspace.
//   3. A fill (an entry made from a database read) is dropped when anything was invalidated, or trust was
//      lost, between the moment the read began and the fill: the read may have seen the state from before a
//      change whose notification has already been applied, and would otherwise resurrect it.

export interface CachedKey {
  keyId: string;
  workspaceId: string;
  userId: string;
  expiresAt: Date | null;
  /** A rolled key's end of grace. */
  stopsAt: Date | null;
  leakedAt: Date | null;
  ipAllowlist: readonly string[];
  principal: Principal;
}

/** What a notification names (see the triggers in prisma/migrations/*_principal_change_notifications). */
export type Change =
  | { kind: "key"; keyId: string }
  | { kind: "member"; workspaceId: string; userId: string }
  | { kind: "user"; userId: string }
  | { kind: "workspace"; workspaceId: string }
  | { kind: "all" };

/** The text of a notification: "k:<id>", "m:<workspaceId>:<userId>", "u:<id>", "w:<id>" or "*". */
export function parseChange(payload: string): Change | null {
  if (payload === "*") return { kind: "all" };
  const [tag, first, second] = payload.split(":");
  if (!first) return null;
  if (tag === "k") return { kind: "key", keyId: first };
  if (tag === "u") return { kind: "user", userId: first };
  if (tag === "w") return { kind: "workspace", workspaceId: first };
  if (tag === "m" && second) return { kind: "member", workspaceId: first, userId: second };
  return null;
}

function concerns(change: Change, entry: CachedKey): boolean {
  switch (change.kind) {
    case "all":
      return true;
    case "key":
      return entry.keyId === change.keyId;
    case "member":
      return entry.workspaceId === change.workspaceId && entry.userId === change.userId;
    case "user":
      return entry.userId === change.userId;
    case "workspace":
      return entry.workspaceId === change.workspaceId;
  }
}

/** A ticket taken before a database read; the fill that follows is kept only if the ticket is still current. */
export type FillTicket = number | null;

export class KeyCache {
  /** Map order is recency order: a hit moves its entry to the end, eviction takes from the front. */
  private readonly entries = new Map<string, CachedKey>();
  /** Bumped by every invalidation and by every loss of trust. */
  private generation = 0;
  private trusted: () => boolean;

  constructor(
    private readonly maxEntries: number,
    trusted: () => boolean = () => true,
  ) {
    this.trusted = trusted;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry of a hashed key, when one may be served. */
  get(hashedKey: string): CachedKey | undefined {
    if (!this.trusted()) return undefined;
    const entry = this.entries.get(hashedKey);
    if (!entry) return undefined;
    this.entries.delete(hashedKey);
    this.entries.set(hashedKey, entry);
    return entry;
  }

  /** Taken before the database read whose result may become an entry; null when no fill may happen. */
  ticket(): FillTicket {
    return this.trusted() ? this.generation : null;
  }

  /** Stores a read's result unless something was invalidated (or trust lost) since `ticket` was taken. */
  fill(ticket: FillTicket, hashedKey: string, entry: CachedKey): boolean {
    if (ticket === null || ticket !== this.generation || !this.trusted()) return false;
    this.entries.delete(hashedKey);
    this.entries.set(hashedKey, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return true;
  }

  /** Drops every entry a change could concern (a scan: changes are rare, entries bounded). */
  invalidate(change: Change): void {
    this.generation += 1;
    if (change.kind === "all") {
      this.entries.clear();
      return;
    }
    for (const [hashedKey, entry] of this.entries) if (concerns(change, entry)) this.entries.delete(hashedKey);
  }

  /** Forgets everything: on loss of trust (listener down), and when trust is regained. */
  clear(): void {
    this.invalidate({ kind: "all" });
  }
}

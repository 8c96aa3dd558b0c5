import "server-only";
import { recordAuditEvents, type AuditActor, type AuditEventInput } from "@/server/audit/record";
import type { Role } from "@/server/auth/permissions";
import type { Tx } from "@/server/db";

export interface Departure {
  workspaceId: string;
  action: "member.removed" | "member.left" | "machine_user.deleted";
  actor: AuditActor;
  user: { id: string; name: string; email: string; isMachine: boolean };
  role: Role;
  /** Why, when it is not what the action says (e.g. "account_deleted" for a person who deleted their account). */
  reason?: string;
}

const KEY_REASONS: Record<Departure["action"], string> = {
  "member.removed": "owner_removed",
  "member.left": "owner_left",
  "machine_user.deleted": "machine_user_deleted",
};

/**
 * Records someone leaving a workspace, and the deletion of each of their API keys for it, which the key's foreign
 * key to the membership deletes with it (so the log has an entry for every key that stopped). Call it in the
 * transaction that deletes the membership, before the delete: afterwards the keys are gone.
 */
export async function recordDeparture(tx: Tx, departure: Departure): Promise<void> {
  const { workspaceId, actor, user } = departure;
  // One instant for all of it: the person and their keys went together.
  const occurredAt = new Date();
  const keys = await tx.apiKey.findMany({
    where: { workspaceId, ownerId: user.id },
    select: { id: true, name: true, partialKey: true },
    orderBy: { id: "asc" },
  });
  const person: AuditEventInput = {
    workspaceId,
    action: departure.action,
    actor,
    target: { type: user.isMachine ? "machine_user" : "user", id: user.id, name: user.name },
    changes: {
      role: departure.role,
      // A machine user's address is synthetic: it says nothing.
      ...(user.isMachine ? {} : { email: user.email }),
      ...(departure.reason ? { reason: departure.reason } : {}),
    },
    occurredAt,
  };
  const keyEvents: AuditEventInput[] = keys.map((key) => ({
    workspaceId,
    action: "api_key.deleted",
    actor,
    target: { type: "api_key", id: key.id, name: key.name },
    changes: { partialKey: key.partialKey, reason: KEY_REASONS[departure.action] },
    occurredAt,
  }));
  await recordAuditEvents(tx, [person, ...keyEvents]);
}

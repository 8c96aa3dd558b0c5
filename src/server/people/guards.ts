import "server-only";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/http/errors";

/**
 * Serialises changes to a workspace's people: every such transaction takes this row lock first, so two
 * concurrent demotions cannot both see "another owner is left". FOR NO KEY UPDATE, not FOR UPDATE: it still
 * excludes every other holder of this lock, but not the key-share lock a new child row (a key, an audit event)
 * takes on its workspace. With FOR UPDATE, an edit of a key (its row locked, then its audit event inserted)
 * and a removal of the key's owner (the workspace locked, then the keys deleted) waited on each other: a
 * deadlock, found by tests/hard/concurrency.test.ts.
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR NO KEY UPDATE`;
}

/** Throws unless the workspace keeps at least one human owner besides `userId`. */
export async function assertAnotherOwnerRemains(tx: Tx, workspaceId: string, userId: string, action: string) {
  const others = await tx.membership.count({
    where: { workspaceId, role: "owner", userId: { not: userId }, user: { isMachine: false } },
  });
  if (others === 0) {
    throw new AppError("conflict", `The last owner cannot ${action}. Make another member an owner first.`);
  }
}

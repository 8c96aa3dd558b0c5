import "server-only";
import { db, type Tx } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import type { SessionUser } from "@/server/auth/session";
import { AppError } from "@/server/http/errors";
import { recordDeparture } from "@/server/people/departures";
import { lockWorkspace } from "@/server/people/guards";
import { confirmPassword } from "./authenticate";
import type { ChangePasswordInput, DeleteAccountInput } from "./schemas";

// What a person can do to their own account: change the password, sign other browsers out, delete the
// account. Each ends sessions on the server (they are rows), so a stolen cookie stops working at once.

/** Locks the user row: password changes, account deletion and session creation for a password serialise on it. */
async function lockUser(tx: Tx, userId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
}

function otherSessionsOf(current: SessionUser) {
  return { userId: current.user.id, id: { not: current.sessionId } };
}

/** Active sessions of the user besides this one. */
export async function countOtherSessions(current: SessionUser): Promise<number> {
  return db.session.count({ where: { ...otherSessionsOf(current), expiresAt: { gt: new Date() } } });
}

/**
 * Sets a new password after checking the current one, and ends every other session of the account (this
 * browser stays signed in). Returns how many sessions ended.
 */
export async function changePassword(current: SessionUser, input: ChangePasswordInput): Promise<{ endedSessions: number }> {
  const verifiedHash = await confirmPassword(current.user.id, input.currentPassword, "currentPassword");
  if (input.newPassword === input.currentPassword) {
    throw new AppError("unprocessable_entity", "Choose a new password.", {
      fieldErrors: { newPassword: ["The new password must differ from the current one."] },
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await lockUser(tx, current.user.id);
    // Changed by another browser between the check above and this lock: that change wins, this one is refused.
    const updated = await tx.user.updateMany({ where: { id: current.user.id, passwordHash: verifiedHash }, data: { passwordHash } });
    if (updated.count === 0) throw new AppError("conflict", "The password was changed meanwhile. Reload the page and try again.");
    const ended = await tx.session.deleteMany({ where: otherSessionsOf(current) });
    return { endedSessions: ended.count };
  });
}

/** Signs out every other browser of the account; this one stays signed in. */
export async function signOutOtherSessions(current: SessionUser): Promise<{ endedSessions: number }> {
  const ended = await db.session.deleteMany({ where: otherSessionsOf(current) });
  return { endedSessions: ended.count };
}

export interface DeletionPlan {
  /** Workspaces where the user is the only person: deleted with the account, with everything in them. */
  deleted: { id: string; name: string; slug: string }[];
  /** Workspaces the user is the last owner of while others remain: the account cannot be deleted yet. */
  blocking: { id: string; name: string; slug: string }[];
  /** Workspaces the user simply leaves. */
  left: { id: string; name: string; slug: string }[];
}

/** What deleting the account would do to each of the user's workspaces. */
export async function deletionPlan(userId: string, tx: Tx | typeof db = db): Promise<DeletionPlan> {
  const memberships = await tx.membership.findMany({
    where: { userId },
    orderBy: { workspace: { name: "asc" } },
    select: {
      role: true,
      workspace: {
        select: {
          id: true,
          name: true,
          slug: true,
          memberships: { where: { userId: { not: userId }, user: { isMachine: false } }, select: { role: true } },
        },
      },
    },
  });
  const plan: DeletionPlan = { deleted: [], blocking: [], left: [] };
  for (const { role, workspace } of memberships) {
    const { memberships: others, ...summary } = workspace;
    if (others.length === 0) plan.deleted.push(summary);
    else if (role === "owner" && !others.some((other) => other.role === "owner")) plan.blocking.push(summary);
    else plan.left.push(summary);
  }
  return plan;
}

/**
 * Deletes the account after checking its password and the typed email. Workspaces where the user is the only
 * person are deleted with it (machine users and keys included); their memberships and API keys elsewhere go
 * too, and every session ends. Refused while the user is the last owner of a workspace others still use.
 */
export async function deleteAccount(current: SessionUser, input: DeleteAccountInput): Promise<void> {
  if (input.confirmation !== current.user.email.toLowerCase()) {
    throw new AppError("unprocessable_entity", "Type your email address to confirm.", {
      fieldErrors: { confirmation: [`Type ${current.user.email} to confirm.`] },
    });
  }
  await confirmPassword(current.user.id, input.password, "password");
  await db.$transaction(async (tx) => {
    // Workspace locks in one order (by id), as people changes take them, so concurrent changes serialise.
    const workspaceIds = (await tx.membership.findMany({ where: { userId: current.user.id }, select: { workspaceId: true } }))
      .map((membership) => membership.workspaceId)
      .sort();
    for (const workspaceId of workspaceIds) await lockWorkspace(tx, workspaceId);
    await lockUser(tx, current.user.id);

    const plan = await deletionPlan(current.user.id, tx);
    if (plan.blocking.length) {
      const names = plan.blocking.map((workspace) => `“${workspace.name}”`).join(", ");
      throw new AppError(
        "conflict",
        `You are the last owner of ${names}. Make another member an owner first, or remove the other members.`,
      );
    }
    // The workspaces the person leaves keep an entry saying so, with the keys that went with the membership;
    // the deleted ones take their audit log with them (the append-only trigger lets exactly that cascade through).
    const left = await tx.membership.findMany({
      where: { userId: current.user.id, workspaceId: { in: plan.left.map((workspace) => workspace.id) } },
      select: { workspaceId: true, role: true },
      orderBy: { workspaceId: "asc" },
    });
    const actor = { type: "user" as const, id: current.user.id, name: current.user.name };
    for (const { workspaceId, role } of left) {
      await recordDeparture(tx, { workspaceId, action: "member.left", actor, user: current.user, role, reason: "account_deleted" });
    }
    const doomed = plan.deleted.map((workspace) => workspace.id);
    // Machine users belong to one workspace each; the workspace's cascade removes only their membership.
    await tx.user.deleteMany({ where: { isMachine: true, memberships: { some: { workspaceId: { in: doomed } } } } });
    await tx.workspace.deleteMany({ where: { id: { in: doomed } } });
    // Cascades to sessions, memberships (and with them the user's API keys) and invites the user created.
    await tx.user.delete({ where: { id: current.user.id } });
  });
}

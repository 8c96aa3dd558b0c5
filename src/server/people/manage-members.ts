import "server-only";
import { db, type Tx } from "@/server/db";
import { actorOf, recordAuditEvent } from "@/server/audit/record";
import type { Principal } from "@/server/auth/principal";
import type { Role } from "@/server/auth/permissions";
import { AppError, notFound } from "@/server/http/errors";
import { recordDeparture } from "./departures";
import { assertAnotherOwnerRemains, lockWorkspace } from "./guards";

async function findMembershipOrThrow(tx: Tx, principal: Principal, membershipId: string) {
  const membership = await tx.membership.findFirst({
    where: { id: membershipId, workspaceId: principal.workspace.id },
    select: { id: true, userId: true, role: true, user: { select: { id: true, name: true, email: true, isMachine: true } } },
  });
  if (!membership) throw notFound("Member");
  return membership;
}

export async function changeRole(principal: Principal, membershipId: string, role: Role) {
  return db.$transaction(async (tx) => {
    await lockWorkspace(tx, principal.workspace.id);
    const membership = await findMembershipOrThrow(tx, principal, membershipId);
    if (membership.user.isMachine) {
      throw new AppError("unprocessable_entity", "A machine user's access is set by its API key, not by a role.");
    }
    if (membership.role === role) return membership;
    if (membership.role === "owner") {
      await assertAnotherOwnerRemains(tx, principal.workspace.id, membership.userId, "be demoted");
    }
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { role }, select: { id: true, role: true } });
    await recordAuditEvent(tx, {
      workspaceId: principal.workspace.id,
      action: "member.role_changed",
      actor: actorOf(principal),
      target: { type: "user", id: membership.user.id, name: membership.user.name },
      changes: { role: { from: membership.role, to: role }, email: membership.user.email },
    });
    return updated;
  });
}

/**
 * Removes a person from the workspace. Their API keys for it go in the same transaction (the key's foreign
 * key to the membership cascades); a machine user is deleted outright, which deletes its key too.
 */
export async function removeMember(principal: Principal, membershipId: string) {
  await db.$transaction(async (tx) => {
    await lockWorkspace(tx, principal.workspace.id);
    const membership = await findMembershipOrThrow(tx, principal, membershipId);
    const departure = { workspaceId: principal.workspace.id, actor: actorOf(principal), user: membership.user, role: membership.role };
    if (membership.user.isMachine) {
      await recordDeparture(tx, { ...departure, action: "machine_user.deleted", reason: "removed" });
      await tx.user.delete({ where: { id: membership.userId } });
      return;
    }
    if (membership.role === "owner") {
      await assertAnotherOwnerRemains(tx, principal.workspace.id, membership.userId, "be removed");
    }
    await recordDeparture(tx, { ...departure, action: "member.removed" });
    await tx.membership.delete({ where: { id: membership.id } });
  });
}

/** The signed-in user leaves the workspace; anyone may, except the last owner. */
export async function leaveWorkspace(principal: Principal) {
  if (principal.user.isMachine) throw new AppError("forbidden", "A machine user cannot leave a workspace.");
  await db.$transaction(async (tx) => {
    await lockWorkspace(tx, principal.workspace.id);
    const membership = await tx.membership.findUnique({
      where: { workspaceId_userId: { workspaceId: principal.workspace.id, userId: principal.user.id } },
      select: { id: true, role: true },
    });
    if (!membership) throw notFound("Member");
    if (membership.role === "owner") {
      await assertAnotherOwnerRemains(tx, principal.workspace.id, principal.user.id, "leave");
    }
    await recordDeparture(tx, {
      workspaceId: principal.workspace.id,
      action: "member.left",
      actor: actorOf(principal),
      user: principal.user,
      role: membership.role,
    });
    await tx.membership.delete({ where: { id: membership.id } });
  });
}

import "server-only";
import { actorOf, recordAuditEvent } from "@/server/audit/record";
import { config } from "@/server/config";
import { db } from "@/server/db";
import type { Principal } from "@/server/auth/principal";
import { randomToken, sha256Hex } from "@/server/crypto/tokens";
import { AppError, notFound } from "@/server/http/errors";

/**
 * Creates a single-use invite link. Only its hash is stored: the token is returned once, for the owner to
 * copy and pass on (there is no email delivery).
 */
export async function createInvite(principal: Principal) {
  const token = randomToken();
  const invite = await db.$transaction(async (tx) => {
    const created = await tx.invite.create({
      data: {
        workspaceId: principal.workspace.id,
        tokenHash: sha256Hex(token),
        createdById: principal.user.id,
        expiresAt: new Date(Date.now() + config().INVITE_TTL_DAYS * 86_400_000),
      },
      select: { id: true, role: true, expiresAt: true },
    });
    // The link's token is the invite's secret: the entry names the invite by its id only.
    await recordAuditEvent(tx, {
      workspaceId: principal.workspace.id,
      action: "member.invited",
      actor: actorOf(principal),
      target: { type: "invite", id: created.id, name: null },
      changes: { role: created.role, expiresAt: created.expiresAt.toISOString() },
    });
    return created;
  });
  return { id: invite.id, expiresAt: invite.expiresAt, token };
}

export async function listPendingInvites(principal: Principal) {
  return db.invite.findMany({
    where: { workspaceId: principal.workspace.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, expiresAt: true, createdBy: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export async function revokeInvite(principal: Principal, inviteId: string) {
  await db.$transaction(async (tx) => {
    const revoked = await tx.invite.updateManyAndReturn({
      where: { id: inviteId, workspaceId: principal.workspace.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { id: true, role: true, createdAt: true },
    });
    if (revoked.length === 0) throw notFound("Invite");
    await recordAuditEvent(tx, {
      workspaceId: principal.workspace.id,
      action: "member.invite_revoked",
      actor: actorOf(principal),
      target: { type: "invite", id: revoked[0]!.id, name: null },
      changes: { role: revoked[0]!.role, createdAt: revoked[0]!.createdAt.toISOString() },
    });
  });
}

type InviteState = "valid" | "expired" | "revoked" | "used";

function stateOf(invite: { expiresAt: Date; revokedAt: Date | null; acceptedAt: Date | null }): InviteState {
  if (invite.revokedAt) return "revoked";
  if (invite.acceptedAt) return "used";
  if (invite.expiresAt <= new Date()) return "expired";
  return "valid";
}

/** What the invite page shows before the user accepts. Unknown tokens answer null. */
export async function describeInvite(token: string) {
  const invite = await db.invite.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: { expiresAt: true, revokedAt: true, acceptedAt: true, workspace: { select: { name: true, slug: true } } },
  });
  if (!invite) return null;
  return { workspace: invite.workspace, state: stateOf(invite) };
}

const INVITE_UNUSABLE: Record<Exclude<InviteState, "valid">, string> = {
  expired: "This invite link has expired. Ask for a new one.",
  revoked: "This invite link was revoked. Ask for a new one.",
  used: "This invite link has already been used. Ask for a new one.",
};

type Transaction = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/**
 * Joins `userId` to the invite's workspace as a member inside the caller's transaction, and records it: `via`
 * says whether the person accepted the link while signed in or signed up from it. Already a member: nothing
 * changes. Throws 404 for an unknown token and 409 for one that can no longer be used.
 */
export async function acceptInviteIn(
  tx: Transaction,
  userId: string,
  token: string,
  via: "invite_link" | "sign_up" = "invite_link",
): Promise<{ slug: string }> {
  const invite = await tx.invite.findUnique({
    where: { tokenHash: sha256Hex(token) },
    select: {
      id: true,
      role: true,
      workspaceId: true,
      expiresAt: true,
      revokedAt: true,
      acceptedAt: true,
      workspace: { select: { slug: true } },
    },
  });
  if (!invite) throw notFound("Invite");
  const existing = await tx.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: invite.workspaceId, userId } },
    select: { id: true },
  });
  if (existing) return { slug: invite.workspace.slug };

  const state = stateOf(invite);
  if (state !== "valid") throw new AppError("conflict", INVITE_UNUSABLE[state]);
  // Conditional update: of two people racing for one link, exactly one gets it.
  const { count } = await tx.invite.updateMany({
    where: { id: invite.id, acceptedAt: null, revokedAt: null },
    data: { acceptedAt: new Date(), acceptedById: userId },
  });
  if (count === 0) throw new AppError("conflict", INVITE_UNUSABLE.used);
  const membership = await tx.membership.create({
    data: { workspaceId: invite.workspaceId, userId, role: invite.role },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  const { user } = membership;
  await recordAuditEvent(tx, {
    workspaceId: invite.workspaceId,
    action: "member.joined",
    actor: { type: "user", id: user.id, name: user.name },
    target: { type: "user", id: user.id, name: user.name },
    changes: { role: invite.role, email: user.email, invite: invite.id, via },
  });
  return { slug: invite.workspace.slug };
}

/** Joins the signed-in user to the invite's workspace as a member. Already a member: nothing changes. */
export async function acceptInvite(userId: string, token: string): Promise<{ slug: string }> {
  return db.$transaction((tx) => acceptInviteIn(tx, userId, token));
}

"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/server/http/action";
import { createInvite, revokeInvite } from "@/server/people/invites";
import { changeRole, leaveWorkspace, removeMember } from "@/server/people/manage-members";
import { changeRoleSchema, inviteIdSchema, membershipIdSchema } from "@/server/people/schemas";

function refresh(slug: string) {
  revalidatePath(`/${slug}/settings/people`);
}

export async function createInviteAction(slug: string) {
  const result = await workspaceAction(slug, async (principal) => {
    const invite = await createInvite(principal);
    return { token: invite.token, expiresAt: invite.expiresAt.toISOString() };
  });
  refresh(slug);
  return result;
}

export async function revokeInviteAction(slug: string, inviteId: string) {
  const result = await workspaceAction(slug, (principal) => revokeInvite(principal, inviteIdSchema.parse({ inviteId }).inviteId));
  refresh(slug);
  return result;
}

export async function changeRoleAction(slug: string, membershipId: string, role: string) {
  const result = await workspaceAction(slug, async (principal) => {
    const input = changeRoleSchema.parse({ membershipId, role });
    await changeRole(principal, input.membershipId, input.role);
  });
  refresh(slug);
  return result;
}

export async function removeMemberAction(slug: string, membershipId: string) {
  const result = await workspaceAction(slug, (principal) =>
    removeMember(principal, membershipIdSchema.parse({ membershipId }).membershipId),
  );
  refresh(slug);
  return result;
}

export async function leaveWorkspaceAction(slug: string) {
  const result = await workspaceAction(slug, (principal) => leaveWorkspace(principal));
  if (result.ok) redirect("/");
  return result;
}

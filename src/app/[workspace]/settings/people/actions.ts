"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { workspaceAction } from "@/server/http/action";
import {
  changeRoleOperation,
  createInviteOperation,
  leaveWorkspaceOperation,
  removeMemberOperation,
  revokeInviteOperation,
} from "@/server/people/operations";

// Server Actions are public endpoints: every argument is parsed by the operation, which authorises.

function refresh(slug: string) {
  revalidatePath(`/${slug}/settings/people`);
}

export async function createInviteAction(slug: string) {
  const result = await workspaceAction(slug, createInviteOperation, {});
  refresh(slug);
  return result;
}

export async function revokeInviteAction(slug: string, inviteId: string) {
  const result = await workspaceAction(slug, revokeInviteOperation, { body: { inviteId } });
  refresh(slug);
  return result;
}

export async function changeRoleAction(slug: string, membershipId: string, role: string) {
  const result = await workspaceAction(slug, changeRoleOperation, { body: { membershipId, role } });
  refresh(slug);
  return result;
}

export async function removeMemberAction(slug: string, membershipId: string) {
  const result = await workspaceAction(slug, removeMemberOperation, { body: { membershipId } });
  refresh(slug);
  return result;
}

export async function leaveWorkspaceAction(slug: string) {
  const result = await workspaceAction(slug, leaveWorkspaceOperation, {});
  if (result.ok) redirect("/");
  return result;
}

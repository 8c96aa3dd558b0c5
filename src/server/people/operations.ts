import { defineOperation } from "@/server/api/operation";
import { createInvite, listPendingInvites, revokeInvite } from "./invites";
import { listPeople } from "./list-people";
import { changeRole, leaveWorkspace, removeMember } from "./manage-members";
import { changeRoleSchema, createdInviteSchema, inviteIdSchema, membershipIdSchema, peopleSchema, pendingInvitesSchema } from "./schemas";

// Settings → People, through the same seam as the API (no /api/v1 endpoint: people are managed in the browser).

export const listPeopleOperation = defineOperation({
  id: "listPeople",
  permission: "people.read",
  response: peopleSchema,
  run: ({ principal }) => listPeople(principal),
});

export const listPendingInvitesOperation = defineOperation({
  id: "listPendingInvites",
  permission: "people.read",
  response: pendingInvitesSchema,
  run: async ({ principal }) =>
    (await listPendingInvites(principal)).map((invite) => ({
      id: invite.id,
      createdAt: invite.createdAt.toISOString(),
      expiresAt: invite.expiresAt.toISOString(),
      createdBy: invite.createdBy.name,
    })),
});

export const createInviteOperation = defineOperation({
  id: "createInvite",
  permission: "people.write",
  response: createdInviteSchema,
  run: async ({ principal }) => {
    const invite = await createInvite(principal);
    return { token: invite.token, expiresAt: invite.expiresAt.toISOString() };
  },
});

export const revokeInviteOperation = defineOperation({
  id: "revokeInvite",
  permission: "people.write",
  body: inviteIdSchema,
  run: ({ principal, body }) => revokeInvite(principal, body.inviteId),
});

export const changeRoleOperation = defineOperation({
  id: "changeRole",
  permission: "people.write",
  body: changeRoleSchema,
  run: async ({ principal, body }) => {
    await changeRole(principal, body.membershipId, body.role);
  },
});

export const removeMemberOperation = defineOperation({
  id: "removeMember",
  permission: "people.write",
  body: membershipIdSchema,
  run: ({ principal, body }) => removeMember(principal, body.membershipId),
});

export const leaveWorkspaceOperation = defineOperation({
  id: "leaveWorkspace",
  // Anyone may leave, except the last owner (the service says so).
  permission: null,
  run: ({ principal }) => leaveWorkspace(principal),
});

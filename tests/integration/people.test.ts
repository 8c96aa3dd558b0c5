import { describe, expect, it } from "vitest";
import { execute, type RawInput } from "@/server/api/execute";
import type { Operation } from "@/server/api/operation";
import { rolePermissions, ROLES } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { AppError } from "@/server/http/errors";
import { acceptInvite, createInvite, describeInvite, listPendingInvites, revokeInvite } from "@/server/people/invites";
import { listPeople } from "@/server/people/list-people";
import { changeRole, leaveWorkspace, removeMember } from "@/server/people/manage-members";
import {
  changeRoleOperation,
  createInviteOperation,
  listPeopleOperation,
  listPendingInvitesOperation,
  removeMemberOperation,
  revokeInviteOperation,
} from "@/server/people/operations";
import { updateWorkspaceOperation } from "@/server/workspaces/operations";
import { mintKey } from "../support/api";
import { addMember, createAccount, createTeam, principalOf, unique } from "../support/factories";
import { refusal } from "../support/helpers";

async function membershipOf(principal: Principal) {
  return db.membership.findUniqueOrThrow({
    where: { workspaceId_userId: { workspaceId: principal.workspace.id, userId: principal.user.id } },
  });
}

describe("each people and settings operation is allowed exactly to the roles the permission table names", () => {
  // Through the seam both doors use; each operation declares its permission and the expectation comes from the
  // table, not from here.
  type Team = Awaited<ReturnType<typeof createTeam>>;
  const cases: { operation: Operation; input: (team: Team) => Promise<RawInput> | RawInput }[] = [
    { operation: listPeopleOperation, input: () => ({}) },
    { operation: listPendingInvitesOperation, input: () => ({}) },
    { operation: createInviteOperation, input: () => ({}) },
    { operation: revokeInviteOperation, input: async (team) => ({ body: { inviteId: (await createInvite(team.owner)).id } }) },
    {
      operation: changeRoleOperation,
      input: async (team) => ({ body: { membershipId: (await addMember(team.workspace.id)).membership.id, role: "owner" } }),
    },
    {
      operation: removeMemberOperation,
      input: async (team) => ({ body: { membershipId: (await addMember(team.workspace.id)).membership.id } }),
    },
    {
      operation: updateWorkspaceOperation,
      input: (team) => ({ params: { idOrSlug: team.workspace.slug }, body: { name: unique("n") } }),
    },
  ];

  it.each(cases.flatMap((testCase) => ROLES.map((role) => ({ ...testCase, role, name: testCase.operation.id }))))(
    "$name as $role",
    async ({ operation, input, role }) => {
      const team = await createTeam();
      const actor = role === "owner" ? team.owner : team.member;
      const outcome = await execute(operation, actor, await input(team)).then(
        () => "allowed",
        (error: unknown) => error,
      );
      if (operation.permission === null || rolePermissions(role).has(operation.permission)) {
        expect(outcome).toBe("allowed");
      } else {
        expect(outcome).toBeInstanceOf(AppError);
        expect((outcome as AppError).details.requiredPermission).toBe(operation.permission);
      }
    },
  );
});

describe("invites", () => {
  it("a signed-in user who opens the link joins as a member; the link works once", async () => {
    const { owner, workspace } = await createTeam();
    const { token, expiresAt } = await createInvite(owner);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    expect(await describeInvite(token)).toEqual({ workspace: { name: workspace.name, slug: workspace.slug }, state: "valid" });

    const joiner = await createAccount("Joe Joiner");
    expect(await acceptInvite(joiner.user.id, token)).toEqual({ slug: workspace.slug });
    const joined = await principalOf(joiner.user.id, workspace.id);
    expect(joined.role).toBe("member");

    const late = await createAccount("Late Larry");
    expect((await refusal(acceptInvite(late.user.id, token))).message).toMatch(/already been used/);
    expect((await describeInvite(token))?.state).toBe("used");
  });

  it("stores only a hash of the token", async () => {
    const { owner } = await createTeam();
    const { id, token } = await createInvite(owner);
    const stored = await db.invite.findUniqueOrThrow({ where: { id }, omit: { tokenHash: false } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("a revoked or expired link does not work", async () => {
    const { owner } = await createTeam();
    const joiner = await createAccount();
    const revoked = await createInvite(owner);
    await revokeInvite(owner, revoked.id);
    expect((await refusal(acceptInvite(joiner.user.id, revoked.token))).message).toMatch(/revoked/);

    const expired = await createInvite(owner);
    await db.invite.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await refusal(acceptInvite(joiner.user.id, expired.token))).message).toMatch(/expired/);
    expect(await listPendingInvites(owner)).toEqual([]);
  });

  it("two people racing for one link: exactly one joins", async () => {
    const { owner, workspace } = await createTeam();
    const { token } = await createInvite(owner);
    const [a, b] = await Promise.all([createAccount("A"), createAccount("B")]);
    const outcomes = await Promise.allSettled([acceptInvite(a.user.id, token), acceptInvite(b.user.id, token)]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { workspaceId: workspace.id } })).toBe(3);
  });

  it("another workspace's invite cannot be revoked: 404", async () => {
    const a = await createTeam();
    const b = await createTeam();
    const invite = await createInvite(a.owner);
    expect((await refusal(revokeInvite(b.owner, invite.id))).code).toBe("not_found");
    expect((await describeInvite(invite.token))?.state).toBe("valid");
  });
});

describe("roles and the last owner", () => {
  it("owners promote and demote members", async () => {
    const { owner, member, memberMembershipId } = await createTeam();
    await changeRole(owner, memberMembershipId, "owner");
    expect((await membershipOf(member)).role).toBe("owner");
    await changeRole(owner, memberMembershipId, "member");
    expect((await membershipOf(member)).role).toBe("member");
  });

  it("the last owner can never be demoted, removed, or leave", async () => {
    const { owner } = await createTeam();
    const own = await membershipOf(owner);
    const attempts = [() => changeRole(owner, own.id, "member"), () => removeMember(owner, own.id), () => leaveWorkspace(owner)];
    for (const attempt of attempts) {
      const error = await refusal(attempt());
      expect(error.code).toBe("conflict");
      expect(error.message).toMatch(/last owner/);
    }
    expect((await membershipOf(owner)).role).toBe("owner");
  });

  it("two owners demoting each other at once: one stays owner", async () => {
    const { owner, workspace } = await createTeam();
    const second = await addMember(workspace.id, "owner", "Second Owner");
    const secondPrincipal = await principalOf(second.user.id, workspace.id);
    const first = await membershipOf(owner);
    await Promise.allSettled([changeRole(owner, second.membership.id, "member"), changeRole(secondPrincipal, first.id, "member")]);
    expect(await db.membership.count({ where: { workspaceId: workspace.id, role: "owner" } })).toBe(1);
  });

  it("with a second owner, an owner may leave", async () => {
    const { owner, workspace } = await createTeam();
    await addMember(workspace.id, "owner", "Second Owner");
    await leaveWorkspace(owner);
    expect(await db.membership.findFirst({ where: { workspaceId: workspace.id, userId: owner.user.id } })).toBeNull();
  });

  it("members can leave; owners can remove members; another workspace's membership is a 404", async () => {
    const team = await createTeam();
    await leaveWorkspace(team.member);
    expect(await db.membership.findFirst({ where: { id: team.memberMembershipId } })).toBeNull();

    const extra = await addMember(team.workspace.id);
    await removeMember(team.owner, extra.membership.id);
    expect(await db.membership.findFirst({ where: { id: extra.membership.id } })).toBeNull();

    const other = await createTeam();
    expect((await refusal(removeMember(team.owner, other.memberMembershipId))).code).toBe("not_found");
    expect((await refusal(changeRole(team.owner, other.memberMembershipId, "owner"))).code).toBe("not_found");
  });

  it("the seat count leaves machine users out", async () => {
    const { owner, workspace } = await createTeam();
    const machine = await db.user.create({ data: { email: `${unique()}@machine.heyoo.invalid`, name: "CI", isMachine: true } });
    await db.membership.create({ data: { workspaceId: workspace.id, userId: machine.id, role: "owner" } });
    const { members, seats } = await listPeople(owner);
    expect(members).toHaveLength(3);
    expect(seats).toBe(2);
  });

  it("a machine user never counts as the remaining owner", async () => {
    const { owner, workspace } = await createTeam();
    const machine = await db.user.create({ data: { email: `${unique()}@machine.heyoo.invalid`, name: "CI", isMachine: true } });
    await db.membership.create({ data: { workspaceId: workspace.id, userId: machine.id, role: "owner" } });
    expect((await refusal(leaveWorkspace(owner))).code).toBe("conflict");
  });
});

describe("turnover warnings", () => {
  it("counts each person's API keys used in the last 30 days, so removing them can warn", async () => {
    const team = await createTeam();
    const recent = await mintKey(team.member);
    const old = await mintKey(team.member);
    await mintKey(team.member);
    await db.apiKey.update({ where: { id: recent.id }, data: { lastUsedAt: new Date(Date.now() - 29 * 86_400_000) } });
    await db.apiKey.update({ where: { id: old.id }, data: { lastUsedAt: new Date(Date.now() - 31 * 86_400_000) } });
    const { members } = await listPeople(team.owner);
    const member = members.find((entry) => entry.id === team.memberMembershipId);
    expect(member?.recentlyUsedKeys).toBe(1);
    expect(members.find((entry) => entry.user.id === team.owner.user.id)?.recentlyUsedKeys).toBe(0);
  });
});

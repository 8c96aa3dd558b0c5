import { randomBytes } from "node:crypto";
import { signUp } from "@/server/accounts/sign-up";
import type { Role } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import { rememberSecret } from "./secrets";

export const PASSWORD = rememberSecret("correct horse battery staple", "password");
/** The wrong guess of the sign-in tests: a secret too, since someone typed it. */
export const WRONG_PASSWORD = rememberSecret("not the right password", "password");

export function unique(prefix = "t"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

/** A person who signed up: they own their first workspace. */
export async function createAccount(name = "Ada Lovelace") {
  const email = `${unique("user")}@example.com`;
  const { user, workspace } = await signUp({ name, email, password: PASSWORD });
  return { user, workspace, email };
}

export async function addMember(workspaceId: string, role: Role = "member", name = "Grace Hopper") {
  const { user } = await createAccount(name);
  const membership = await db.membership.create({ data: { workspaceId, userId: user.id, role } });
  return { user, membership };
}

export async function principalOf(userId: string, workspaceSlugOrId: string): Promise<Principal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, name: true, email: true, isMachine: true } });
  const workspace = await db.workspace.findFirstOrThrow({
    where: { OR: [{ id: workspaceSlugOrId }, { slug: workspaceSlugOrId }] },
    select: { slug: true },
  });
  return sessionPrincipalOrThrow({ sessionId: "test", user }, workspace.slug);
}

/** A workspace with an owner and a member, as principals. */
export async function createTeam() {
  const owner = await createAccount("Olivia Owner");
  const member = await addMember(owner.workspace.id, "member", "Max Member");
  return {
    workspace: owner.workspace,
    owner: await principalOf(owner.user.id, owner.workspace.id),
    member: await principalOf(member.user.id, owner.workspace.id),
    memberMembershipId: member.membership.id,
  };
}

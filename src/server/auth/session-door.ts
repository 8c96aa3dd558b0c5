import "server-only";
import { db } from "@/server/db";
import { rolePermissions } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import type { SessionUser } from "@/server/auth/session";
import { notFound } from "@/server/http/errors";

/**
 * The session door: the principal of a signed-in user in the workspace `slug`. A workspace the user is not a
 * member of answers exactly like one that does not exist.
 */
export async function sessionPrincipalOrThrow(session: SessionUser, slug: string): Promise<Principal> {
  const membership = await db.membership.findFirst({
    where: { userId: session.user.id, workspace: { slug } },
    select: { role: true, workspace: { select: { id: true, slug: true, name: true } } },
  });
  if (!membership) throw notFound("Workspace");
  return {
    workspace: membership.workspace,
    user: session.user,
    role: membership.role,
    apiKey: null,
    permissions: rolePermissions(membership.role),
  };
}

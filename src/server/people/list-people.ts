import "server-only";
import { db } from "@/server/db";
import type { Principal } from "@/server/auth/principal";

const RECENT_KEY_USE_MS = 30 * 86_400_000;

/**
 * Members and machine users of the principal's workspace; machine users do not take a seat. Each carries the
 * number of its API keys used in the last 30 days, so removing someone can warn what will stop working.
 */
export async function listPeople(principal: Principal) {
  const since = new Date(Date.now() - RECENT_KEY_USE_MS);
  const members = await db.membership.findMany({
    where: { workspaceId: principal.workspace.id },
    select: {
      id: true,
      role: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true, isMachine: true } },
      _count: { select: { apiKeys: { where: { lastUsedAt: { gte: since } } } } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  const seats = members.filter((member) => !member.user.isMachine).length;
  return {
    members: members.map(({ _count, ...member }) => ({ ...member, recentlyUsedKeys: _count.apiKeys })),
    seats,
  };
}

import "server-only";
import { db } from "@/server/db";

/** The workspaces a user belongs to, with their role in each, for the switcher and the home page. */
export function listWorkspacesForUser(userId: string) {
  return db.workspace.findMany({
    where: { memberships: { some: { userId } } },
    select: { id: true, slug: true, name: true, memberships: { where: { userId }, select: { role: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

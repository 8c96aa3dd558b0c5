import { db } from "@/server/db";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { isUniqueViolation } from "@/server/prisma-errors";
import { slugTaken } from "./create-workspace";
import type { UpdateWorkspaceInput } from "./schemas";

export async function updateWorkspace(principal: Principal, input: UpdateWorkspaceInput) {
  requirePermission(principal, "workspaces.write");
  try {
    return await db.workspace.update({
      where: { id: principal.workspace.id },
      data: { name: input.name, slug: input.slug },
      select: { id: true, slug: true, name: true, createdAt: true },
    });
  } catch (error) {
    if (isUniqueViolation(error, "slug")) throw slugTaken();
    throw error;
  }
}

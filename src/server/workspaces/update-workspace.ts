import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { isUniqueViolation } from "@/server/prisma-errors";
import { slugTaken } from "./create-workspace";
import { ownWorkspaceOrThrow, toWorkspaceView } from "./get-workspace";
import type { UpdateWorkspaceInput, Workspace } from "./schemas";

/** Renames the principal's workspace or changes its slug, once `idOrSlug` is known to name it (else 404). */
export async function updateWorkspace(principal: Principal, idOrSlug: string, input: UpdateWorkspaceInput): Promise<Workspace> {
  const workspace = await ownWorkspaceOrThrow(principal, idOrSlug);
  try {
    const row = await db.workspace.update({
      where: { id: workspace.id },
      data: { name: input.name, slug: input.slug },
      select: { id: true, slug: true, name: true, createdAt: true },
    });
    return toWorkspaceView(row);
  } catch (error) {
    if (isUniqueViolation(error, "slug")) throw slugTaken();
    throw error;
  }
}

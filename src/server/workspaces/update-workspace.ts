import "server-only";
import { actorOf, changedFields, recordAuditEvent } from "@/server/audit/record";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { lockWorkspace } from "@/server/people/guards";
import { isUniqueViolation } from "@/server/prisma-errors";
import { slugTaken } from "./create-workspace";
import { ownWorkspaceOrThrow, toWorkspaceView, workspaceSelect } from "./get-workspace";
import type { UpdateWorkspaceInput, Workspace } from "./schemas";

/**
 * Renames the principal's workspace or changes its slug, once `idOrSlug` is known to name it (else 404), and
 * records what changed. The row is locked before it is read, so the entry's "from" is what the change replaced
 * even when two owners save at once.
 */
export async function updateWorkspace(principal: Principal, idOrSlug: string, input: UpdateWorkspaceInput): Promise<Workspace> {
  const workspace = await ownWorkspaceOrThrow(principal, idOrSlug);
  try {
    const row = await db.$transaction(async (tx) => {
      await lockWorkspace(tx, workspace.id);
      const before = await tx.workspace.findUniqueOrThrow({ where: { id: workspace.id }, select: workspaceSelect });
      const after = await tx.workspace.update({
        where: { id: workspace.id },
        data: { name: input.name, slug: input.slug },
        select: workspaceSelect,
      });
      const changes = changedFields({ name: before.name, slug: before.slug }, { name: after.name, slug: after.slug });
      if (Object.keys(changes).length > 0) {
        await recordAuditEvent(tx, {
          workspaceId: workspace.id,
          action: "workspace.updated",
          actor: actorOf(principal),
          target: { type: "workspace", id: workspace.id, name: after.name },
          changes,
        });
      }
      return after;
    });
    return toWorkspaceView(row);
  } catch (error) {
    if (isUniqueViolation(error, "slug")) throw slugTaken();
    throw error;
  }
}

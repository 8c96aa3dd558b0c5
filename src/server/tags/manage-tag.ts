import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import type { UpdateTagInput } from "./schemas";
import { tagSelect, toTagView } from "./serialize";
import { assertTagNameFreeOrThrow, rethrowNameTaken } from "./tag-name";
import type { Tag } from "@/server/tags/schemas";

export async function updateTag(principal: Principal, id: string, input: UpdateTagInput): Promise<Tag> {
  const workspaceId = principal.workspace.id;
  try {
    const row = await db.$transaction(async (tx) => {
      const tag = await tx.tag.findFirst({ where: { id, workspaceId }, select: { id: true } });
      if (!tag) throw notFound("Tag");
      if (input.name !== undefined) await assertTagNameFreeOrThrow(tx, workspaceId, input.name, tag.id);
      return tx.tag.update({
        where: { workspaceId_id: { workspaceId, id: tag.id } },
        data: { name: input.name, color: input.color },
        select: tagSelect,
      });
    });
    return toTagView(row);
  } catch (error) {
    rethrowNameTaken(error, input.name ?? "");
  }
}

/** Deletes a tag; campaigns lose it through the foreign key's cascade, the campaigns themselves stay. */
export async function deleteTag(principal: Principal, id: string): Promise<void> {
  const { count } = await db.tag.deleteMany({ where: { id, workspaceId: principal.workspace.id } });
  if (count === 0) throw notFound("Tag");
}

import { requirePermission, type Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { DEFAULT_TAG_COLOR, type CreateTagInput } from "./schemas";
import { tagSelect, toTagView, type TagView } from "./serialize";
import { assertTagNameFreeOrThrow, rethrowNameTaken } from "./tag-name";

export async function createTag(principal: Principal, input: CreateTagInput): Promise<TagView> {
  requirePermission(principal, "tags.write");
  const workspaceId = principal.workspace.id;
  try {
    const row = await db.$transaction(async (tx) => {
      await assertTagNameFreeOrThrow(tx, workspaceId, input.name);
      return tx.tag.create({ data: { workspaceId, name: input.name, color: input.color ?? DEFAULT_TAG_COLOR }, select: tagSelect });
    });
    return toTagView(row);
  } catch (error) {
    rethrowNameTaken(error, input.name);
  }
}

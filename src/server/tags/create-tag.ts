import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { DEFAULT_TAG_COLOR, type CreateTagInput } from "./schemas";
import { tagSelect, toTagView } from "./serialize";
import { assertTagNameFreeOrThrow, rethrowNameTaken } from "./tag-name";
import type { Tag } from "@/server/tags/schemas";

export async function createTag(principal: Principal, input: CreateTagInput): Promise<Tag> {
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

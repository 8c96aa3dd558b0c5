import "server-only";
import type { Tx } from "@/server/db";
import { AppError } from "@/server/http/errors";
import { isUniqueViolation } from "@/server/prisma-errors";
import { likeText } from "@/server/like-text";

function nameTaken(name: string): AppError {
  return new AppError("conflict", `A tag named "${name}" already exists in this workspace.`, {
    fieldErrors: { name: ["A tag with this name already exists."] },
  });
}

/**
 * Refuses `name` when another tag of the workspace has it in any case. The database's unique index is
 * case-sensitive, so the check runs under a per-workspace transaction lock: two requests creating "News" and
 * "news" at once are serialised, and the second one sees the first.
 */
export async function assertTagNameFreeOrThrow(tx: Tx, workspaceId: string, name: string, exceptId?: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`tag-names:${workspaceId}`}))`;
  const existing = await tx.tag.findFirst({
    where: { workspaceId, name: { equals: likeText(name), mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { name: true },
  });
  if (existing) throw nameTaken(existing.name);
}

/** The exact-case unique index as the last word, should a write bypass the lock. */
export function rethrowNameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error, "name")) throw nameTaken(name);
  throw error;
}

import "server-only";
import { randomBytes } from "node:crypto";
import { db, type Tx } from "@/server/db";
import { AppError } from "@/server/http/errors";
import { isUniqueViolation } from "@/server/prisma-errors";
import { RESERVED_SLUGS, slugify, type CreateWorkspaceInput } from "./schemas";

function slugTaken(): AppError {
  return new AppError("conflict", "This slug is already taken.", { fieldErrors: { slug: ["This slug is already taken."] } });
}

async function freeSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = attempt === 0 ? base : `${base}-${randomBytes(3).toString("hex")}`;
    if (RESERVED_SLUGS.has(candidate)) continue;
    if (!(await tx.workspace.findUnique({ where: { slug: candidate }, select: { id: true } }))) return candidate;
  }
  return `${base}-${randomBytes(6).toString("hex")}`;
}

/** Creates a workspace with `userId` as its owner, inside the caller's transaction. */
export async function createWorkspaceForUser(tx: Tx, userId: string, input: CreateWorkspaceInput) {
  const slug = input.slug ?? (await freeSlug(tx, input.name));
  return tx.workspace.create({
    data: { name: input.name, slug, memberships: { create: { userId, role: "owner" } } },
  });
}

export async function createWorkspace(userId: string, input: CreateWorkspaceInput) {
  try {
    return await db.$transaction((tx) => createWorkspaceForUser(tx, userId, input));
  } catch (error) {
    if (isUniqueViolation(error, "slug")) throw slugTaken();
    throw error;
  }
}

export { slugTaken };

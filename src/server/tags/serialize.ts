import type { Prisma } from "@/generated/prisma/client";
import type { Tag } from "@/server/tags/schemas";

export const tagSelect = { id: true, name: true, color: true, createdAt: true, updatedAt: true } satisfies Prisma.TagSelect;

type TagRow = Prisma.TagGetPayload<{ select: typeof tagSelect }>;

export function toTagView(row: TagRow): Tag {
  return { id: row.id, name: row.name, color: row.color, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

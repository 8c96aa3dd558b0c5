import type { Prisma } from "@/generated/prisma/client";

export const tagSelect = { id: true, name: true, color: true, createdAt: true, updatedAt: true } satisfies Prisma.TagSelect;

type TagRow = Prisma.TagGetPayload<{ select: typeof tagSelect }>;

export interface TagView {
  id: string;
  name: string;
  color: string;
  createdAt: string;
  updatedAt: string;
}

export function toTagView(row: TagRow): TagView {
  return { id: row.id, name: row.name, color: row.color, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

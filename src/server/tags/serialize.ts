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

/**
 * Text for a case-insensitive Prisma filter (`mode: "insensitive"`), which PostgreSQL runs as ILIKE: `%` and
 * `_` would otherwise be wildcards, so a tag named "a_c" would match "abc".
 */
export function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

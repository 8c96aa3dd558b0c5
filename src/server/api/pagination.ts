import { z } from "zod";
import { AppError } from "@/server/http/errors";
import { queryInteger } from "./common-schemas";

// Cursor pagination in a stable order (createdAt desc, id desc), backed by (workspaceId, createdAt, id)
// indexes: a page costs the same with a million rows as with a thousand, and rows inserted while a client
// pages never shift the pages it has not read yet.

export const MAX_PAGE_SIZE = 100;

export const DEFAULT_PAGE_SIZE = 25;

/** Base64url of "<ISO date-time>|<id>": at most 24 + 1 + 64 bytes, so 119 characters. */
const CURSOR_MAX_LENGTH = 200;
const cursorSchema = z
  .string()
  .max(CURSOR_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_-]*$/, "Not a cursor from this API.");

export const paginationQuery = {
  limit: queryInteger({ min: 1, max: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` }),
  cursor: cursorSchema.optional().describe("The nextCursor of the previous page."),
};

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item).max(MAX_PAGE_SIZE),
    nextCursor: cursorSchema.nullable().describe("Pass as cursor to get the next page; null on the last page."),
  });
}

/** Where a page ended: the last row's time (its createdAt, or the list's own time column) and id. */
export interface Position {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): Position {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  const year = createdAt.getUTCFullYear();
  // Only dates PostgreSQL can compare with (and rows can have): years 1 to 9999.
  if (!id || Number.isNaN(createdAt.getTime()) || year < 1 || year > 9999 || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new AppError("unprocessable_entity", "The cursor is not valid.", { fieldErrors: { cursor: ["Not a cursor from this API."] } });
  }
  return { createdAt, id };
}

/** The Prisma `where` for rows after the cursor, in (createdAt desc, id desc) order. */
export function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

export const pageOrder = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/**
 * Fetch `limit + 1` rows with `afterCursor` and `pageOrder`, then hand them here. `position` says where a row
 * is in the order when that is not its own `createdAt` and `id` (another time column, a time as text); it is
 * asked of the page's last row only.
 */
export function toPage<Row extends Position, Out>(rows: Row[], limit: number, serialize: (row: Row) => Out): Page<Out>;
export function toPage<Row, Out>(rows: Row[], limit: number, serialize: (row: Row) => Out, position: (row: Row) => Position): Page<Out>;
export function toPage<Row, Out>(
  rows: Row[],
  limit: number,
  serialize: (row: Row) => Out,
  position: (row: Row) => Position = (row) => row as Position,
): Page<Out> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(serialize), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

import type { Prisma } from "@/generated/prisma/client";
import { AppError } from "@/server/http/errors";
import { API_KEY_SORTS, type ApiKeySort } from "./schemas";

// Keyset pagination of the keys list under each sort. The cursor names its sort, the last row's sort key
// (empty when that row has none) and its id, so a page continues exactly after the row it ended on.
//
// A sort key can be null (never used, never expires), and those keys come last. Each page is therefore read
// in two runs, each served by a (workspaceId, <column>, id) index: the keys that have the column, strictly
// after the cursor's (value, id), then the keys that lack it, ordered by id alone. A cursor that is already
// in the null run skips the first.

export interface SortSpec {
  /** The column the keys are sorted by; createdAt is never null. */
  column: "createdAt" | "lastUsedAt" | "expiresAt";
  direction: "asc" | "desc";
}

export const SORT_SPECS: Record<ApiKeySort, SortSpec> = {
  created: { column: "createdAt", direction: "desc" },
  last_used: { column: "lastUsedAt", direction: "desc" },
  expires: { column: "expiresAt", direction: "asc" },
};

export interface ListPosition {
  sort: ApiKeySort;
  /** The last row's sort key; null when it has none (it is in the null run). */
  value: Date | null;
  id: string;
}

export function encodeListCursor(position: ListPosition): string {
  return Buffer.from(`${position.sort}|${position.value?.toISOString() ?? ""}|${position.id}`).toString("base64url");
}

function invalidCursor(message: string): AppError {
  return new AppError("unprocessable_entity", "The cursor is not valid.", { fieldErrors: { cursor: [message] } });
}

/** The position a cursor names, refused with a 422 unless it is one this API made for the same sort. */
export function decodeListCursor(cursor: string, sort: ApiKeySort): ListPosition {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const [cursorSort, iso, id] = parts;
  if (parts.length !== 3 || !(API_KEY_SORTS as readonly string[]).includes(cursorSort ?? "") || !id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw invalidCursor("Not a cursor from this API.");
  }
  if (cursorSort !== sort) throw invalidCursor(`This cursor belongs to sort "${cursorSort}"; send the same sort as the first page.`);
  if (iso === "") {
    if (SORT_SPECS[sort].column === "createdAt") throw invalidCursor("Not a cursor from this API.");
    return { sort, value: null, id };
  }
  const value = new Date(iso ?? "");
  const year = value.getUTCFullYear();
  // Only dates PostgreSQL can compare with (and rows can have): years 1 to 9999; and exactly what we encoded.
  if (Number.isNaN(value.getTime()) || year < 1 || year > 9999 || value.toISOString() !== iso)
    throw invalidCursor("Not a cursor from this API.");
  return { sort, value, id };
}

type Where = Prisma.ApiKeyWhereInput;

/**
 * The run of keys that have the sort column, after `position` (or from the start). `column <= value` (or
 * `>=`) is repeated beside the OR so PostgreSQL can use it as the index range; the OR only breaks ties.
 */
export function valuedRun(
  spec: SortSpec,
  position: ListPosition | null,
): { where: Where; orderBy: Prisma.ApiKeyOrderByWithRelationInput[] } {
  const { column, direction } = spec;
  const orderBy = [{ [column]: direction }, { id: direction }] as Prisma.ApiKeyOrderByWithRelationInput[];
  // createdAt is never null, so the created order is a single run.
  if (!position) return { where: column === "createdAt" ? {} : { [column]: { not: null } }, orderBy };
  const value = position.value as Date;
  const [strict, loose] = direction === "desc" ? (["lt", "lte"] as const) : (["gt", "gte"] as const);
  return {
    where: {
      [column]: { [loose]: value },
      OR: [{ [column]: { [strict]: value } }, { id: { [strict]: position.id } }],
    },
    orderBy,
  };
}

/** The run of keys without the sort column (never used, never expires), after `position` if it is in it. */
export function nullRun(spec: SortSpec, position: ListPosition | null): { where: Where; orderBy: Prisma.ApiKeyOrderByWithRelationInput[] } {
  const { column, direction } = spec;
  const after = position && position.value === null ? { id: { [direction === "desc" ? "lt" : "gt"]: position.id } } : {};
  return { where: { [column]: null, ...after }, orderBy: [{ id: direction }] };
}

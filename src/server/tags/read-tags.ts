import "server-only";
import { afterCursor, pageOrder, toPage } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import type { ListTagsQuery } from "./schemas";
import { likeText } from "@/server/like-text";
import { tagSelect, toTagView } from "./serialize";

/** The workspace's tags, newest first, a page at a time. */
export async function listTags(principal: Principal, query: ListTagsQuery) {
  const rows = await db.tag.findMany({
    where: {
      workspaceId: principal.workspace.id,
      ...(query.q ? { name: { contains: likeText(query.q), mode: "insensitive" as const } } : {}),
      ...afterCursor(query.cursor),
    },
    select: tagSelect,
    orderBy: pageOrder,
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, toTagView);
}

export async function getTag(principal: Principal, id: string) {
  const row = await db.tag.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: tagSelect });
  if (!row) throw notFound("Tag");
  return toTagView(row);
}

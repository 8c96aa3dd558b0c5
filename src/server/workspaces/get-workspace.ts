import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { afterCursor, pageOrder, toPage } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import type { ListWorkspacesQuery } from "./api-schemas";
import type { Workspace } from "@/server/workspaces/schemas";

export const workspaceSelect = { id: true, slug: true, name: true, createdAt: true } satisfies Prisma.WorkspaceSelect;

type WorkspaceRow = Prisma.WorkspaceGetPayload<{ select: typeof workspaceSelect }>;

export function toWorkspaceView(row: WorkspaceRow): Workspace {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: row.createdAt.toISOString() };
}

/**
 * The principal's workspace when `idOrSlug` names it. The query starts from the principal's workspace, so
 * another workspace's id or slug finds nothing and answers exactly like one that does not exist.
 */
export async function ownWorkspaceOrThrow(principal: Principal, idOrSlug: string): Promise<WorkspaceRow> {
  const row = await db.workspace.findFirst({
    where: { id: principal.workspace.id, OR: [{ id: idOrSlug }, { slug: idOrSlug.toLowerCase() }] },
    select: workspaceSelect,
  });
  if (!row) throw notFound("Workspace");
  return row;
}

/** A key belongs to one workspace: the list holds that one, in the shape of every other list. */
export async function listWorkspaces(principal: Principal, query: ListWorkspacesQuery) {
  const rows = await db.workspace.findMany({
    where: { id: principal.workspace.id, ...afterCursor(query.cursor) },
    select: workspaceSelect,
    orderBy: pageOrder,
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, toWorkspaceView);
}

export async function getWorkspace(principal: Principal, idOrSlug: string): Promise<Workspace> {
  return toWorkspaceView(await ownWorkspaceOrThrow(principal, idOrSlug));
}

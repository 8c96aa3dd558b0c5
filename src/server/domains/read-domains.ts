import "server-only";
import { afterCursor, pageOrder, toPage } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import type { ListDomainsQuery } from "./schemas";
import { domainSelect, toDomainView } from "./serialize";
import type { Domain } from "@/server/domains/schemas";

/** The workspace's domains, newest first, a page at a time. */
export async function listDomains(principal: Principal, query: ListDomainsQuery) {
  const rows = await db.domain.findMany({
    where: {
      workspaceId: principal.workspace.id,
      ...(query.status ? { status: query.status } : {}),
      // The schema allows only [a-z0-9.-], so no LIKE wildcard can reach the pattern.
      ...(query.q ? { hostname: { contains: query.q } } : {}),
      ...afterCursor(query.cursor),
    },
    select: domainSelect,
    orderBy: pageOrder,
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, toDomainView);
}

export async function getDomain(principal: Principal, id: string): Promise<Domain> {
  const row = await db.domain.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: domainSelect });
  if (!row) throw notFound("Domain");
  return toDomainView(row);
}

import "server-only";
import type { AuditEvent as AuditEventRow, Prisma } from "@/generated/prisma/client";
import { decodeCursor, toPage } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { normaliseIp, parseIp } from "@/server/http/ip-address";
import type { AuditAction, AuditTargetType } from "./actions";
import { displayText } from "@/server/display-text";
import { startLapseSweep } from "./lapses";
import type { AuditEvent, AuditLogQuery } from "./schemas";

/** The recorded address when it is one; "unknown" (no request) and whatever a client forged are null. */
function displayIp(text: string | null): string | null {
  return text !== null && parseIp(text) ? normaliseIp(text) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function toAuditEventView(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    action: row.action as AuditAction,
    occurredAt: row.occurredAt.toISOString(),
    actor: { type: row.actorType, id: row.actorId, name: displayText(row.actorName) },
    target: { type: row.targetType as AuditTargetType, id: row.targetId, name: displayText(row.targetName) },
    ipAddress: displayIp(row.ipAddress),
    userAgent: displayText(row.userAgent),
    changes: isRecord(row.changes) ? row.changes : null,
  };
}

function actorFilter(actor: string | undefined): Prisma.AuditEventWhereInput {
  if (actor === undefined) return {};
  if (actor === "system" || actor === "scanner") return { actorType: actor };
  return { actorId: actor };
}

/**
 * A page of the workspace's audit log, newest first: (occurredAt desc, id desc), a keyset over the
 * (workspaceId, occurredAt, id) index (and the actor, action and target indexes when filtered), so a page never
 * repeats a row nor skips one of the rows there were when the first page was read. Another workspace's ids in
 * the filters simply match nothing here.
 *
 * Reading writes nothing (tests/integration/get-changes-nothing.test.ts): expiries and ends of grace periods are
 * recorded by the minute sweep, which a read makes sure this instance runs, so they show at most a minute late,
 * dated when they happened.
 */
export async function listAuditEvents(
  principal: Principal,
  query: AuditLogQuery,
): Promise<{ data: AuditEvent[]; nextCursor: string | null }> {
  startLapseSweep();
  const filters: Prisma.AuditEventWhereInput[] = [
    { workspaceId: principal.workspace.id },
    actorFilter(query.actor),
    query.action ? { action: query.action } : {},
    query.target ? { targetId: query.target } : {},
    query.from || query.to ? { occurredAt: { gte: query.from, lte: query.to } } : {},
  ];
  if (query.cursor) {
    const { createdAt: at, id } = decodeCursor(query.cursor);
    // `occurredAt <= at` beside the OR gives PostgreSQL the index range; the OR only breaks ties.
    filters.push({ occurredAt: { lte: at }, OR: [{ occurredAt: { lt: at } }, { id: { lt: id } }] });
  }
  const rows = await db.auditEvent.findMany({
    where: { AND: filters },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, toAuditEventView, (row) => ({ createdAt: row.occurredAt, id: row.id }));
}

const MAX_ACTORS = 200;

/**
 * The people and keys that appear in the workspace's log (with the name of their latest entry), for the page's
 * actor filter. A skip scan over the (workspaceId, actorId, occurredAt) index: one index probe per distinct
 * actor, however long the log is.
 */
export async function listAuditActors(principal: Principal): Promise<{ id: string; type: "user" | "api_key"; name: string | null }[]> {
  const rows = await db.$queryRaw<{ id: string; type: "user" | "api_key"; name: string | null }[]>`
    WITH RECURSIVE actors AS (
      (SELECT e."actorId" FROM "AuditEvent" e
        WHERE e."workspaceId" = ${principal.workspace.id} AND e."actorId" IS NOT NULL ORDER BY e."actorId" LIMIT 1)
      UNION ALL
      SELECT (SELECT e."actorId" FROM "AuditEvent" e
               WHERE e."workspaceId" = ${principal.workspace.id} AND e."actorId" > a."actorId" ORDER BY e."actorId" LIMIT 1)
      FROM actors a WHERE a."actorId" IS NOT NULL
    )
    SELECT a."actorId" AS id, latest."actorType"::text AS type, latest."actorName" AS name
    FROM actors a
    CROSS JOIN LATERAL (
      SELECT e."actorType", e."actorName" FROM "AuditEvent" e
      WHERE e."workspaceId" = ${principal.workspace.id} AND e."actorId" = a."actorId"
      ORDER BY e."occurredAt" DESC LIMIT 1
    ) AS latest
    WHERE a."actorId" IS NOT NULL
    LIMIT ${MAX_ACTORS}`;
  return rows
    .filter((row) => row.type === "user" || row.type === "api_key")
    .map((row) => ({ ...row, name: displayText(row.name) }))
    .sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || a.id.localeCompare(b.id));
}

import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { decodeCursor, toPage } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { readRows } from "@/server/db-read";
import { likeText } from "@/server/like-text";
import { notFound } from "@/server/http/errors";
import type { ListCampaignsQuery } from "./schemas";
import type { Campaign } from "@/server/campaigns/schemas";

// The campaigns list (row C of `npm run bench`) and a single campaign are read as one prepared statement each
// (src/server/db-read.ts, decision 017) that returns the API's own shape: timestamps formatted by PostgreSQL as
// the API writes them (columns are timestamp(3) in UTC), tags as JSON by name. Reads inside a transaction (a
// write returning its campaign) use Prisma (`campaignViewOrThrow` in ./serialize.ts); both are checked against
// the response schema by execute().

const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const campaignColumns = Prisma.sql`
  c.id, c.name, c.subject, c.status::text AS status,
  ${iso(Prisma.sql`c."scheduledAt"`)} AS "scheduledAt", ${iso(Prisma.sql`c."sentAt"`)} AS "sentAt",
  COALESCE((
    SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) ORDER BY t.name, t.id)
    FROM "CampaignTag" ct JOIN "Tag" t ON t."workspaceId" = ct."workspaceId" AND t.id = ct."tagId"
    WHERE ct."workspaceId" = c."workspaceId" AND ct."campaignId" = c.id
  ), '[]'::json) AS tags,
  ${iso(Prisma.sql`c."createdAt"`)} AS "createdAt", ${iso(Prisma.sql`c."updatedAt"`)} AS "updatedAt"`;

/**
 * A page of the workspace's campaigns, newest first, in (createdAt desc, id desc) order: the
 * (workspaceId, createdAt, id) and (workspaceId, status, createdAt, id) indexes serve it, and rows created
 * while a client pages land before its cursor, so they never shift the pages it has not read yet.
 */
export async function listCampaigns(principal: Principal, query: ListCampaignsQuery) {
  const conditions = [Prisma.sql`c."workspaceId" = ${principal.workspace.id}`];
  if (query.status) conditions.push(Prisma.sql`c.status = ${query.status}::"CampaignStatus"`);
  // An unknown tag, or another workspace's, simply matches nothing.
  if (query.tagId) {
    conditions.push(Prisma.sql`EXISTS (
      SELECT 1 FROM "CampaignTag" ct WHERE ct."workspaceId" = c."workspaceId" AND ct."campaignId" = c.id AND ct."tagId" = ${query.tagId})`);
  }
  if (query.q) conditions.push(Prisma.sql`c.name ILIKE '%' || ${likeText(query.q)}::text || '%'`);
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    // A timestamp literal's zone is ignored by PostgreSQL, and the columns hold UTC: the ISO text compares exactly.
    conditions.push(Prisma.sql`(c."createdAt", c.id) < (${after.createdAt.toISOString()}::timestamp(3), ${after.id}::text)`);
  }
  const rows = await readRows<Campaign>(Prisma.sql`
    SELECT ${campaignColumns} FROM "Campaign" c
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY c."createdAt" DESC, c.id DESC
    LIMIT ${query.limit + 1}::int`);
  return toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => ({ createdAt: new Date(row.createdAt), id: row.id }),
  );
}

export async function getCampaign(principal: Principal, id: string): Promise<Campaign> {
  const [row] = await readRows<Campaign>(Prisma.sql`
    SELECT ${campaignColumns} FROM "Campaign" c WHERE c."workspaceId" = ${principal.workspace.id} AND c.id = ${id}`);
  if (!row) throw notFound("Campaign");
  return row;
}

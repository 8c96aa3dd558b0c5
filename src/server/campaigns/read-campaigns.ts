import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { jsonBody, type JsonBody } from "@/server/api/json-body";
import { decodeCursor, encodeCursor, type Page } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { readRows } from "@/server/db-read";
import { likeText } from "@/server/like-text";
import { notFound } from "@/server/http/errors";
import type { ListCampaignsQuery } from "./schemas";
import type { Campaign } from "@/server/campaigns/schemas";

// The campaigns list (row C of `npm run bench`) and a single campaign are read as one prepared statement each
// (src/server/db-read.ts, decision 017) that writes the API's JSON itself (decision 018): timestamps formatted
// by PostgreSQL as the API writes them (columns are timestamp(3) in UTC), tags by name, the keys in the order of
// the response schema. The server sends that text as it is; outside production execute() holds it to the
// response schema (json-body.ts). Reads inside a transaction (a write returning its campaign) use Prisma
// (`campaignViewOrThrow` in ./serialize.ts).

const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A campaign, `c`, as the API's compact JSON text (row_to_json writes no spaces, string_agg joins the tags). */
const campaignJson = Prisma.sql`(
  SELECT row_to_json(campaign)::text FROM (SELECT
    c.id, c.name, c.subject, c.status,
    ${iso(Prisma.sql`c."scheduledAt"`)} AS "scheduledAt", ${iso(Prisma.sql`c."sentAt"`)} AS "sentAt",
    COALESCE((
      SELECT '[' || string_agg(row_to_json(tag)::text, ',' ORDER BY tag.name, tag.id) || ']'
      FROM (SELECT t.id, t.name, t.color FROM "CampaignTag" ct JOIN "Tag" t ON t."workspaceId" = ct."workspaceId" AND t.id = ct."tagId"
            WHERE ct."workspaceId" = c."workspaceId" AND ct."campaignId" = c.id) tag
    ), '[]')::json AS tags,
    ${iso(Prisma.sql`c."createdAt"`)} AS "createdAt", ${iso(Prisma.sql`c."updatedAt"`)} AS "updatedAt"
  ) campaign)`;

/**
 * A page of the workspace's campaigns, newest first, in (createdAt desc, id desc) order: the
 * (workspaceId, createdAt, id) and (workspaceId, status, createdAt, id) indexes serve it, and rows created
 * while a client pages land before its cursor, so they never shift the pages it has not read yet.
 */
export async function listCampaigns(principal: Principal, query: ListCampaignsQuery): Promise<JsonBody<Page<Campaign>>> {
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
  // limit + 1 rows in the list's order, numbered: the first `limit` are the page, one more means a next page,
  // and the cursor is where the page's last row sits.
  const [page] = await readRows<{ data: string; hasMore: boolean; lastCreatedAt: string | null; lastId: string | null }>(Prisma.sql`
    SELECT '[' || COALESCE(string_agg(listed.body, ',' ORDER BY listed.n) FILTER (WHERE listed.n <= ${query.limit}::int), '') || ']' AS data,
           count(*) > ${query.limit}::int AS "hasMore",
           min(listed."createdAt") FILTER (WHERE listed.n = ${query.limit}::int) AS "lastCreatedAt",
           min(listed.id) FILTER (WHERE listed.n = ${query.limit}::int) AS "lastId"
    FROM (
      SELECT ${campaignJson} AS body, ${iso(Prisma.sql`c."createdAt"`)} AS "createdAt", c.id,
             row_number() OVER (ORDER BY c."createdAt" DESC, c.id DESC) AS n
      FROM "Campaign" c
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY c."createdAt" DESC, c.id DESC
      LIMIT ${query.limit + 1}::int
    ) listed`);
  const { data, hasMore, lastCreatedAt, lastId } = page!;
  const nextCursor = hasMore && lastCreatedAt && lastId ? encodeCursor({ createdAt: new Date(lastCreatedAt), id: lastId }) : null;
  return jsonBody<Page<Campaign>>(`{"data":${data},"nextCursor":${JSON.stringify(nextCursor)}}`);
}

export async function getCampaign(principal: Principal, id: string): Promise<JsonBody<Campaign>> {
  const [row] = await readRows<{ json: string }>(Prisma.sql`
    SELECT ${campaignJson} AS json FROM "Campaign" c WHERE c."workspaceId" = ${principal.workspace.id} AND c.id = ${id}`);
  if (!row) throw notFound("Campaign");
  return jsonBody<Campaign>(row.json);
}

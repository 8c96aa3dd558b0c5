import { Prisma } from "@/generated/prisma/client";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { AppError, notFound } from "@/server/http/errors";
import { MAX_ANALYTICS_ROWS, type AnalyticsQuery, type AnalyticsView } from "./schemas";

interface Row {
  campaignId: string | null;
  bucket: Date | null;
  /** 0 for a group, non-zero for the grand total row of GROUPING SETS. */
  total: number;
  sent: bigint | number;
  opened: bigint | number;
  clicked: bigint | number;
}

/** A filter naming another workspace's campaign or tag answers exactly like one naming nothing. */
async function filtersExistOrThrow(workspaceId: string, query: AnalyticsQuery): Promise<void> {
  const [campaign, tag] = await Promise.all([
    query.campaignId ? db.campaign.findFirst({ where: { id: query.campaignId, workspaceId }, select: { id: true } }) : true,
    query.tagId ? db.tag.findFirst({ where: { id: query.tagId, workspaceId }, select: { id: true } }) : true,
  ]);
  if (!campaign) throw notFound("Campaign");
  if (!tag) throw notFound("Tag");
}

/**
 * Counts of sent, opened and clicked events, aggregated by PostgreSQL in one query: the rows never reach this
 * process. The WHERE clause always starts with the workspace and the time range, which is what the
 * (workspaceId, occurredAt) and (workspaceId, campaignId, occurredAt) indexes serve. GROUPING SETS adds the
 * grand total to the same scan (and always yields it, even with no events); a grouping the caller did not ask
 * for is a constant NULL column, so one statement serves every groupBy.
 */
export async function readAnalytics(principal: Principal, query: AnalyticsQuery): Promise<AnalyticsView> {
  const workspaceId = principal.workspace.id;
  await filtersExistOrThrow(workspaceId, query);

  const byCampaign = query.groupBy.includes("campaign");
  const unit = query.groupBy.includes("hour") ? "hour" : query.groupBy.includes("day") ? "day" : null;

  // occurredAt is a UTC timestamp without zone: read it as UTC, truncate in the caller's zone (DST-aware).
  const bucket = unit ? Prisma.sql`date_trunc(${unit}, e."occurredAt" AT TIME ZONE 'UTC', ${query.timezone})` : Prisma.sql`NULL::timestamptz`;
  const campaign = byCampaign ? Prisma.sql`e."campaignId"` : Prisma.sql`NULL::text`;
  const campaignFilter = query.campaignId ? Prisma.sql`AND e."campaignId" = ${query.campaignId}` : Prisma.empty;
  const tagFilter = query.tagId
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "CampaignTag" ct WHERE ct."workspaceId" = ${workspaceId} AND ct."campaignId" = e."campaignId" AND ct."tagId" = ${query.tagId})`
    : Prisma.empty;

  let rows: Row[];
  try {
    rows = await db.$queryRaw<Row[]>`
      SELECT "campaignId", "bucket",
             GROUPING("campaignId", "bucket") AS "total",
             count(*) FILTER (WHERE "type" = 'sent') AS "sent",
             count(*) FILTER (WHERE "type" = 'opened') AS "opened",
             count(*) FILTER (WHERE "type" = 'clicked') AS "clicked"
      FROM (
        SELECT ${campaign} AS "campaignId", ${bucket} AS "bucket", e."type"
        FROM "CampaignEvent" e
        WHERE e."workspaceId" = ${workspaceId}
          AND e."occurredAt" >= (${query.from.toISOString()}::timestamptz AT TIME ZONE 'UTC')
          AND e."occurredAt" < (${query.to.toISOString()}::timestamptz AT TIME ZONE 'UTC')
          ${campaignFilter}
          ${tagFilter}
      ) e
      GROUP BY GROUPING SETS (("campaignId", "bucket"), ())
      ORDER BY "total", "bucket", "campaignId"`;
  } catch (error) {
    // Intl and PostgreSQL ship their own zone databases; a name only one of them knows is the caller's input.
    if (error instanceof Error && /time zone .* not recognized/i.test(error.message)) {
      throw new AppError("unprocessable_entity", "The query has invalid parameters.", {
        fieldErrors: { timezone: ["This time zone is not known to the database."] },
      });
    }
    throw error;
  }
  // One of the rows is the grand total.
  if (rows.length - 1 > MAX_ANALYTICS_ROWS) {
    throw new AppError("unprocessable_entity", "The query has too many groups.", {
      fieldErrors: { groupBy: [`More than ${MAX_ANALYTICS_ROWS} groups: shorten the range, group by day instead of hour, or filter by campaignId or tagId.`] },
    });
  }

  const counts = (row: Row) => ({ sent: Number(row.sent), opened: Number(row.opened), clicked: Number(row.clicked) });
  const totalRow = rows.find((row) => Number(row.total) !== 0);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: query.groupBy,
    timezone: query.timezone,
    totals: totalRow ? counts(totalRow) : { sent: 0, opened: 0, clicked: 0 },
    data: query.groupBy.length
      ? rows
          .filter((row) => Number(row.total) === 0)
          .map((row) => ({
            ...(byCampaign ? { campaignId: row.campaignId ?? undefined } : {}),
            ...(unit && row.bucket ? { bucket: new Date(row.bucket).toISOString() } : {}),
            ...counts(row),
          }))
      : [],
  };
}

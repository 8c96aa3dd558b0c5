import "server-only";
import { Prisma } from "@/generated/prisma/client";
import type { Principal } from "@/server/auth/principal";
import { AppError, notFound } from "@/server/http/errors";
import { analyticsQuery } from "./analytics-db";
import { MAX_ANALYTICS_ROWS, type AnalyticsQuery, type AnalyticsView } from "./schemas";

interface Row {
  campaignId: string | null;
  bucketMs: bigint | number | null;
  /** 0 for a group, non-zero for the grand total row of GROUPING SETS. */
  total: number;
  sent: bigint | number;
  opened: bigint | number;
  clicked: bigint | number;
}

/** A filter naming another workspace's campaign or tag answers exactly like one naming nothing. */
async function filtersExistOrThrow(workspaceId: string, query: AnalyticsQuery): Promise<void> {
  const [campaign, tag] = await Promise.all([
    query.campaignId
      ? analyticsQuery(Prisma.sql`SELECT 1 FROM "Campaign" WHERE "id" = ${query.campaignId} AND "workspaceId" = ${workspaceId}`)
      : [true],
    query.tagId ? analyticsQuery(Prisma.sql`SELECT 1 FROM "Tag" WHERE "id" = ${query.tagId} AND "workspaceId" = ${workspaceId}`) : [true],
  ]);
  if (campaign.length === 0) throw notFound("Campaign");
  if (tag.length === 0) throw notFound("Tag");
}

/** The rollups' bucket lengths (the CampaignEventRollup."seconds" values, kept by the migration's triggers). */
const level = (seconds: number, step: string) => ({ seconds, step: Prisma.raw(`interval '${step}'`) });
const day = level(86_400, "1 day");
const hour = level(3_600, "1 hour");
const quarter = level(900, "15 minutes");

/**
 * Counts of sent, opened and clicked events, aggregated by PostgreSQL in one statement from the rollups
 * (docs/decisions/009-analytics-rollups.md), with exactly the answer of counting the raw events:
 *
 * - A plan cuts [from, to) into UTC slots: whole days where a day slot is entirely inside the range and
 *   entirely inside one of the caller's buckets, else its hours, else its quarter hours, else the raw events of
 *   the part of the quarter hour that is in the range. "Entirely inside one bucket" is checked, not assumed:
 *   the bucket (date_trunc in the caller's zone, as for a raw event) and the zone's UTC offset are the same at
 *   the slot's first and last instant. So a zone whose day starts at 18:30 UTC (Asia/Kolkata) reads hours and
 *   the quarter hours around 18:30; a DST change reads the hours around it; an offset that is no multiple of
 *   15 minutes (local mean time before 1900, say) reads the raw events of those quarter hours.
 * - A slot's bucket is computed once, in the plan; the rollup rows are joined to the whole slots by index.
 * - GROUPING SETS adds the grand total to the same statement (and always yields it, even with no events); a
 *   grouping the caller did not ask for is a constant NULL column, so one statement serves every groupBy.
 *   Groups whose counts are all zero (left behind by deleted events) are not groups with events.
 */
export async function readAnalytics(principal: Principal, query: AnalyticsQuery): Promise<AnalyticsView> {
  const workspaceId = principal.workspace.id;
  await filtersExistOrThrow(workspaceId, query);

  let rows: Row[];
  try {
    rows = await analyticsQuery<Row>(analyticsStatement(workspaceId, query));
  } catch (error) {
    // Intl and PostgreSQL ship their own zone databases; a name only one of them knows is the caller's input.
    if (error instanceof Error && /time zone .* not recognized/i.test(error.message)) {
      throw new AppError("unprocessable_entity", "The query has invalid parameters.", {
        fieldErrors: { timezone: ["This time zone is not known to the database."] },
      });
    }
    // ANALYTICS_STATEMENT_TIMEOUT_MS: PostgreSQL cancelled the statement (57014).
    if (error instanceof Error && /canceling statement due to statement timeout|57014/.test(error.message)) {
      throw new AppError("service_unavailable", "Counting these events took too long. Try again shortly, or a shorter range.", {
        retryAfterSeconds: 5,
      });
    }
    throw error;
  }
  // One of the rows is the grand total.
  if (rows.length - 1 > MAX_ANALYTICS_ROWS) {
    throw new AppError("unprocessable_entity", "The query has too many groups.", {
      fieldErrors: {
        groupBy: [
          `More than ${MAX_ANALYTICS_ROWS} groups: shorten the range, group by day instead of hour, or filter by campaignId or tagId.`,
        ],
      },
    });
  }

  const byCampaign = query.groupBy.includes("campaign");
  const unit = query.groupBy.includes("hour") || query.groupBy.includes("day");
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
            ...(unit && row.bucketMs !== null ? { bucket: new Date(Number(row.bucketMs)).toISOString() } : {}),
            ...counts(row),
          }))
      : [],
  };
}

/**
 * The one statement of readAnalytics (exported so that its plan can be looked at with EXPLAIN).
 *
 * How a raw event is bucketed, exactly as PostgreSQL's date_trunc(unit, t, zone) does it: with o the zone's UTC
 * offset at t, an hour bucket is date_trunc('hour', t + o) - o (the local hour, at t's offset), a day bucket is
 * the local midnight date_trunc('day', t + o) converted back with the zone's rules (AT TIME ZONE: the offset at
 * midnight, which may differ from t's). Hence a slot of the plan is whole when o is the same at its first and
 * last instant and so is the local hour or day; the zone's database is consulted twice per UTC day (and per hour
 * and quarter hour only on a day whose offset changes), the rest is arithmetic. Day buckets are grouped by their
 * local midnight and converted once per group.
 */
export function analyticsStatement(workspaceId: string, query: AnalyticsQuery): Prisma.Sql {
  const byCampaign = query.groupBy.includes("campaign");
  const unit = query.groupBy.includes("hour") ? "hour" : query.groupBy.includes("day") ? "day" : null;
  const zone = query.timezone;

  // Timestamps are UTC without zone (like "occurredAt"). The offset of the caller's zone at `at`, an interval.
  const offsetAt = (at: Prisma.Sql) =>
    unit ? Prisma.sql`(((${at} AT TIME ZONE 'UTC') AT TIME ZONE ${zone}) - ${at})` : Prisma.sql`interval '0'`;
  // The key a bucket is grouped by, from an instant and its offset: the local midnight (a day), the bucket's
  // UTC start (an hour), nothing (no time grouping).
  const keyOf = (at: Prisma.Sql, offset: Prisma.Sql) =>
    unit === "day"
      ? Prisma.sql`date_trunc('day', ${at} + ${offset})`
      : unit === "hour"
        ? Prisma.sql`(date_trunc('hour', ${at} + ${offset}) - ${offset})`
        : Prisma.sql`NULL::timestamp`;
  const bucketOfKey = (key: Prisma.Sql) =>
    unit === "day"
      ? Prisma.sql`(${key} AT TIME ZONE ${zone})`
      : unit === "hour"
        ? Prisma.sql`(${key} AT TIME ZONE 'UTC')`
        : Prisma.sql`NULL::timestamptz`;

  // A slot of the plan may be read from the rollups when it is inside the range and, from its first to its last
  // instant, at one offset and in one bucket.
  const last = Prisma.sql`(s.stop - interval '1 microsecond')`;
  const wholeSlots = (inner: Prisma.Sql) => Prisma.sql`
    SELECT s.*, s.start >= p."from" AND s.stop <= p."to" AND s.steady
                AND ${keyOf(Prisma.sql`s.start`, Prisma.sql`s.o`)} IS NOT DISTINCT FROM ${keyOf(last, Prisma.sql`s.o`)} AS whole
    FROM p, (${inner}) s`;
  // Slots of a shorter length inside the parent slots that are not whole. A steady parent passes its offset on.
  const childSlots = (parent: string, length: Prisma.Sql, count: number) => Prisma.sql`
    SELECT c.start, c.stop,
           CASE WHEN c.parent_steady THEN c.parent_o ELSE ${offsetAt(Prisma.sql`c.start`)} END AS o,
           c.parent_steady OR ${offsetAt(Prisma.sql`c.start`)} = ${offsetAt(Prisma.sql`(c.stop - interval '1 microsecond')`)} AS steady
    FROM (
      SELECT x.start + g * ${length} AS start, x.start + (g + 1) * ${length} AS stop, x.steady AS parent_steady, x.o AS parent_o
      FROM ${Prisma.raw(parent)} x, generate_series(0, ${count - 1}) g
      WHERE NOT x.whole
    ) c, p
    WHERE c.start < p."to" AND c.stop > p."from"`;

  // The number of UTC days the range touches, as a constant: PostgreSQL then estimates the plan's size right
  // (generate_series over integers with constant bounds), and joins the few slots to the rollups by index.
  const dayMs = day.seconds * 1000;
  const days = Math.ceil((query.to.getTime() - Math.floor(query.from.getTime() / dayMs) * dayMs) / dayMs);

  const campaignFilter = (alias: Prisma.Sql) =>
    query.campaignId ? Prisma.sql`AND ${alias}."campaignId" = ${query.campaignId}` : Prisma.empty;
  const tagFilter = (alias: Prisma.Sql) =>
    query.tagId
      ? Prisma.sql`AND EXISTS (SELECT 1 FROM "CampaignTag" ct WHERE ct."workspaceId" = ${workspaceId} AND ct."campaignId" = ${alias}."campaignId" AND ct."tagId" = ${query.tagId})`
      : Prisma.empty;
  const r = Prisma.sql`r`;
  const e = Prisma.sql`e`;
  const eventOffset = offsetAt(Prisma.sql`e."occurredAt"`);

  return Prisma.sql`
    WITH p AS (
      SELECT (${query.from.toISOString()}::timestamptz AT TIME ZONE 'UTC') AS "from",
             (${query.to.toISOString()}::timestamptz AT TIME ZONE 'UTC') AS "to"
    ),
    day_slots AS (${wholeSlots(Prisma.sql`
      SELECT d.start, d.stop, ${offsetAt(Prisma.sql`d.start`)} AS o,
             ${offsetAt(Prisma.sql`d.start`)} = ${offsetAt(Prisma.sql`(d.stop - interval '1 microsecond')`)} AS steady
      FROM (
        SELECT date_trunc('day', p."from") + g * ${day.step} AS start, date_trunc('day', p."from") + (g + 1) * ${day.step} AS stop
        FROM p, generate_series(0, ${days - 1}) g
      ) d`)}
    ),
    hour_slots AS (${wholeSlots(childSlots("day_slots", hour.step, 24))}),
    quarter_slots AS (${wholeSlots(childSlots("hour_slots", quarter.step, 4))}),
    whole_slots AS (
      SELECT ${day.seconds}::int AS seconds, s.start, ${keyOf(Prisma.sql`s.start`, Prisma.sql`s.o`)} AS key FROM day_slots s WHERE s.whole
      UNION ALL
      SELECT ${hour.seconds}::int, s.start, ${keyOf(Prisma.sql`s.start`, Prisma.sql`s.o`)} FROM hour_slots s WHERE s.whole
      UNION ALL
      SELECT ${quarter.seconds}::int, s.start, ${keyOf(Prisma.sql`s.start`, Prisma.sql`s.o`)} FROM quarter_slots s WHERE s.whole
    ),
    raw_ranges AS (
      -- one_bucket: the quarter hour is at one offset and in one bucket, and only the range's edge cuts it, so
      -- its events share the slot's key and are counted per campaign without bucketing each event.
      SELECT greatest(s.start, p."from") AS lo, least(s.stop, p."to") AS hi, ${keyOf(Prisma.sql`s.start`, Prisma.sql`s.o`)} AS key,
             s.steady AND ${keyOf(Prisma.sql`s.start`, Prisma.sql`s.o`)} IS NOT DISTINCT FROM ${keyOf(last, Prisma.sql`s.o`)} AS one_bucket
      FROM p, quarter_slots s WHERE NOT s.whole
    ),
    counted AS (
      -- One index lookup per whole slot (OFFSET 0 keeps the planner from turning this into a hash join that
      -- reads every rollup row of the workspace): the rows read are the slots' rows, however long the history.
      SELECT r."campaignId", w.key, r."sent", r."opened", r."clicked"
      FROM whole_slots w, LATERAL (
        SELECT r."campaignId", r."sent", r."opened", r."clicked" FROM "CampaignEventRollup" r
        WHERE r."workspaceId" = ${workspaceId} AND r."seconds" = w.seconds AND r."bucketStart" = w.start
          ${campaignFilter(r)} ${tagFilter(r)}
        OFFSET 0
      ) r
      UNION ALL
      -- The same for the raw events: one index range scan per partial quarter hour, never a scan of the
      -- workspace's events filtered afterwards (which a large table made the planner choose). A quarter hour in
      -- one bucket is counted per campaign in the scan (at 10M events a month, the range's two edges hold
      -- thousands of events: bucketing each one was most of the statement's time).
      SELECT e."campaignId", x.key, e."sent", e."opened", e."clicked"
      FROM raw_ranges x, LATERAL (
        SELECT e."campaignId", count(*) FILTER (WHERE e."type" = 'sent')::int AS "sent",
               count(*) FILTER (WHERE e."type" = 'opened')::int AS "opened", count(*) FILTER (WHERE e."type" = 'clicked')::int AS "clicked"
        FROM "CampaignEvent" e
        WHERE e."workspaceId" = ${workspaceId} AND e."occurredAt" >= x.lo AND e."occurredAt" < x.hi
          ${campaignFilter(e)} ${tagFilter(e)}
        GROUP BY e."campaignId"
      ) e
      WHERE x.one_bucket
      UNION ALL
      -- A quarter hour that changes offset or bucket inside (an offset that is no multiple of 15 minutes):
      -- each event is bucketed as date_trunc would.
      SELECT e."campaignId", ${keyOf(Prisma.sql`e."occurredAt"`, eventOffset)},
             (e."type" = 'sent')::int, (e."type" = 'opened')::int, (e."type" = 'clicked')::int
      FROM raw_ranges x, LATERAL (
        SELECT e."campaignId", e."occurredAt", e."type" FROM "CampaignEvent" e
        WHERE e."workspaceId" = ${workspaceId} AND e."occurredAt" >= x.lo AND e."occurredAt" < x.hi
          ${campaignFilter(e)} ${tagFilter(e)}
        OFFSET 0
      ) e
      WHERE NOT x.one_bucket
    ),
    groups AS (
      SELECT ${byCampaign ? Prisma.sql`c."campaignId"` : Prisma.sql`NULL::text`} AS "campaignId", c.key,
             sum(c."sent") AS "sent", sum(c."opened") AS "opened", sum(c."clicked") AS "clicked"
      FROM counted c
      GROUP BY 1, 2
    )
    SELECT "campaignId",
           -- Milliseconds since 1970: a date-time before year 1 ("… BC", which a time zone west of UTC can give
           -- the first day of year 1) is not read back as a date by the driver.
           (extract(epoch FROM "bucket") * 1000)::bigint AS "bucketMs",
           GROUPING("campaignId", "bucket") AS "total",
           coalesce(sum("sent"), 0)::bigint AS "sent",
           coalesce(sum("opened"), 0)::bigint AS "opened",
           coalesce(sum("clicked"), 0)::bigint AS "clicked"
    FROM (SELECT g."campaignId", ${bucketOfKey(Prisma.sql`g.key`)} AS "bucket", g."sent", g."opened", g."clicked" FROM groups g) g
    GROUP BY GROUPING SETS (("campaignId", "bucket"), ())
    HAVING GROUPING("campaignId", "bucket") <> 0 OR sum("sent" + "opened" + "clicked") > 0
    ORDER BY "total", "bucket", "campaignId"`;
}

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { paths } from "@/client";
import { Prisma } from "@/generated/prisma/client";
import { readAnalytics } from "@/server/analytics/read-analytics";
import { analyticsQuerySchema } from "@/server/analytics/schemas";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { createTeam, unique } from "../support/factories";

// GET /api/v1/analytics answers from CampaignEventRollup (docs/decisions/009-analytics-rollups.md). These
// properties compare its answers with the same counts computed here, independently, by plain SQL over the raw
// CampaignEvent rows, for random events and random queries: every grouping, every filter, and zones whose
// buckets start on the quarter hour, across DST changes, local mean time and the ends of the accepted range.

type Query = NonNullable<paths["/api/v1/analytics"]["get"]["parameters"]["query"]>;
type EventType = "sent" | "opened" | "clicked";
const TYPES: EventType[] = ["sent", "opened", "clicked"];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Stretches of time with something special in them; events and queries of one run fall in one of them. */
const WINDOWS = [
  { name: "EU spring forward", start: "2025-03-28T00:00:00Z", days: 5 },
  { name: "Lord Howe's half-hour DST, NZ/Chatham spring forward", start: "2025-09-26T00:00:00Z", days: 12 },
  { name: "US fall back", start: "2025-10-31T00:00:00Z", days: 4 },
  { name: "Sao Paulo: midnight did not exist", start: "2018-11-02T00:00:00Z", days: 4 },
  { name: "Kathmandu moves from +05:30 to +05:45", start: "1985-12-30T00:00:00Z", days: 4 },
  { name: "local mean time: offsets in seconds", start: "1890-01-01T00:00:00Z", days: 3 },
  { name: "the first days the API accepts", start: "0001-01-01T00:00:00Z", days: 3 },
  { name: "the last days the API accepts", start: "9999-12-29T00:00:00Z", days: 3 },
] as const;

const ZONES = [
  "UTC",
  "Asia/Kolkata", // +05:30
  "Asia/Kathmandu", // +05:45
  "Australia/Eucla", // +08:45
  "Pacific/Chatham", // +12:45 / +13:45 with DST
  "America/St_Johns", // -03:30 / -02:30 with DST
  "Australia/Lord_Howe", // +10:30 / +11:00: a 30-minute DST
  "Europe/Berlin",
  "America/New_York",
  "America/Sao_Paulo",
  "Pacific/Kiritimati", // +14:00; -10:40 until 1979
  "Europe/Amsterdam", // +00:19:32 local mean time until 1937
] as const;

const GROUPINGS = [undefined, "campaign", "day", "hour", "campaign,day", "campaign,hour"] as const;

interface Fixture {
  workspaceId: string;
  principal: Principal;
  key: string;
  writeKey: string;
  campaigns: string[];
  tags: string[];
}

async function createFixture(): Promise<Fixture> {
  const team = await createTeam();
  const workspaceId = team.workspace.id;
  const tags = [];
  for (let i = 0; i < 2; i++) tags.push((await db.tag.create({ data: { workspaceId, name: unique("tag"), color: "#336699" } })).id);
  const campaigns = [];
  // Tagged: the first with tag 0, the second with both, the third with none.
  const tagsOf = [[tags[0]!], [tags[0]!, tags[1]!], []];
  for (const campaignTags of tagsOf) {
    const { id } = await db.campaign.create({ data: { workspaceId, name: unique("campaign"), subject: "Hi", status: "sent" } });
    if (campaignTags.length)
      await db.campaignTag.createMany({ data: campaignTags.map((tagId) => ({ workspaceId, campaignId: id, tagId })) });
    campaigns.push(id);
  }
  const key = (await mintKey(team.member, { kind: "read_only" })).key;
  const writeKey = (await mintKey(team.owner, { kind: "all" })).key;
  return { workspaceId, principal: team.member, key, writeKey, campaigns, tags };
}

type Counts = { sent: number; opened: number; clicked: number };
type Row = { campaignId: string | null; bucketMs: bigint | null; sent: bigint; opened: bigint; clicked: bigint };

/** The answer, computed from the raw events alone: what analytics answered before it had rollups. */
async function expectedAnswer(fixture: Fixture, query: Required<Pick<Query, "from" | "to">> & Query) {
  const groupBy = (query.groupBy ?? "").split(",").filter(Boolean);
  const unit = groupBy.includes("hour") ? "hour" : groupBy.includes("day") ? "day" : null;
  const zone = query.timezone ?? "UTC";
  const bucket = unit ? Prisma.sql`date_trunc(${unit}, "occurredAt" AT TIME ZONE 'UTC', ${zone})` : Prisma.sql`NULL::timestamptz`;
  const campaign = groupBy.includes("campaign") ? Prisma.sql`"campaignId"` : Prisma.sql`NULL::text`;
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${campaign} AS "campaignId", (extract(epoch FROM ${bucket}) * 1000)::bigint AS "bucketMs",
           count(*) FILTER (WHERE "type" = 'sent') AS "sent",
           count(*) FILTER (WHERE "type" = 'opened') AS "opened",
           count(*) FILTER (WHERE "type" = 'clicked') AS "clicked"
    FROM "CampaignEvent"
    WHERE "workspaceId" = ${fixture.workspaceId}
      AND "occurredAt" >= (${query.from}::timestamptz AT TIME ZONE 'UTC')
      AND "occurredAt" < (${query.to}::timestamptz AT TIME ZONE 'UTC')
      AND (${query.campaignId ?? null}::text IS NULL OR "campaignId" = ${query.campaignId ?? null})
      AND (${query.tagId ?? null}::text IS NULL OR "campaignId" IN (SELECT "campaignId" FROM "CampaignTag" WHERE "tagId" = ${query.tagId ?? null}))
    GROUP BY 1, 2
    ORDER BY 2, 1`;
  const counts = (row: Row): Counts => ({ sent: Number(row.sent), opened: Number(row.opened), clicked: Number(row.clicked) });
  const totals = rows.reduce(
    (sum, row) => {
      const c = counts(row);
      return { sent: sum.sent + c.sent, opened: sum.opened + c.opened, clicked: sum.clicked + c.clicked };
    },
    { sent: 0, opened: 0, clicked: 0 },
  );
  return {
    totals,
    data: groupBy.length
      ? rows.map((row) => ({
          ...(groupBy.includes("campaign") ? { campaignId: row.campaignId } : {}),
          ...(unit ? { bucket: new Date(Number(row.bucketMs)).toISOString() } : {}),
          ...counts(row),
        }))
      : [],
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** An instant in the window (or a little outside it), sometimes on a quarter hour, an hour or a day. */
const instantIn = (start: number, days: number) =>
  fc
    .tuple(fc.integer({ min: -2 * HOUR, max: days * DAY + 2 * HOUR }), fc.constantFrom(1, 1, 15 * MINUTE, HOUR, DAY, 30 * MINUTE))
    .map(([offset, align]) => {
      const at = start + offset;
      return Math.max(
        Date.parse("0001-01-01T00:00:00Z"),
        Math.min(Date.parse("9999-12-31T23:59:59.999Z"), at - (((at % align) + align) % align)),
      );
    });

const scenario = fc.constantFrom(...WINDOWS).chain((window) => {
  const start = Date.parse(window.start);
  const event = fc.record({
    campaign: fc.integer({ min: 0, max: 2 }),
    type: fc.constantFrom(...TYPES),
    at: instantIn(start, window.days),
  });
  const query = fc.record({
    a: instantIn(start, window.days),
    b: instantIn(start, window.days),
    groupBy: fc.constantFrom(...GROUPINGS),
    timezone: fc.constantFrom(...ZONES),
    filter: fc.constantFrom("none", "campaign", "tag"),
    filterIndex: fc.integer({ min: 0, max: 2 }),
  });
  // Several batches, as separate statements, so that the rollups add up across statements.
  return fc.record({
    window: fc.constant(window.name),
    batches: fc.array(fc.array(event, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
    queries: fc.array(query, { minLength: 1, maxLength: 6 }),
  });
});

describe("analytics from rollups", () => {
  let fixture: Fixture;

  beforeAll(async () => {
    fixture = await createFixture();
  });

  it("answers exactly what the raw events give, for random events, ranges, groupings, filters and zones", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ batches, queries }) => {
        // Deleting the previous run's events subtracts them from the rollups (the DELETE trigger).
        await db.campaignEvent.deleteMany({ where: { workspaceId: fixture.workspaceId } });
        for (const batch of batches) {
          await db.campaignEvent.createMany({
            data: batch.map((e) => ({
              workspaceId: fixture.workspaceId,
              campaignId: fixture.campaigns[e.campaign]!,
              type: e.type,
              occurredAt: new Date(e.at),
            })),
          });
        }
        for (const q of queries) {
          const [lo, hi] = q.a < q.b ? [q.a, q.b] : [q.b, q.a + 15 * MINUTE];
          const query: Query & { from: string; to: string } = {
            from: iso(lo),
            to: iso(Math.min(hi, Date.parse("9999-12-31T23:59:59.999Z"))),
          };
          if (query.from >= query.to) continue;
          if (q.groupBy) query.groupBy = q.groupBy;
          if (q.groupBy?.match(/day|hour/)) query.timezone = q.timezone;
          if (q.filter === "campaign") query.campaignId = fixture.campaigns[q.filterIndex];
          if (q.filter === "tag") query.tagId = fixture.tags[q.filterIndex % 2];
          // The service behind the route, with the route's own query schema (the HTTP path is the other tests'
          // business, and its rate limit would stop a few hundred requests).
          const data = await readAnalytics(fixture.principal, analyticsQuerySchema.parse(query));
          const expected = await expectedAnswer(fixture, query);
          expect({ totals: data.totals, data: data.data }, JSON.stringify(query)).toEqual(expected);
        }
      }),
      { numRuns: 100 },
    );
  }, 240_000);

  it("keeps every rollup equal to its raw events, and backfills them exactly", async () => {
    // After the property above: the rollups of every length, rebuilt here from the raw rows, are what is stored.
    const mismatches = await db.$queryRaw<{ n: bigint }[]>`
      WITH expected AS (
        SELECT "workspaceId", "campaignId", l.seconds,
               date_bin(make_interval(secs => l.seconds), "occurredAt", TIMESTAMP '2000-01-01') AS "bucketStart",
               count(*) FILTER (WHERE "type" = 'sent') AS sent, count(*) FILTER (WHERE "type" = 'opened') AS opened,
               count(*) FILTER (WHERE "type" = 'clicked') AS clicked
        FROM "CampaignEvent" CROSS JOIN (VALUES (900), (3600), (86400)) AS l(seconds)
        GROUP BY 1, 2, 3, 4
      ),
      stored AS (SELECT * FROM "CampaignEventRollup" WHERE sent + opened + clicked > 0)
      SELECT count(*) AS n FROM expected e FULL JOIN stored s USING ("workspaceId", "campaignId", seconds, "bucketStart")
      WHERE e.sent IS DISTINCT FROM s.sent OR e.opened IS DISTINCT FROM s.opened OR e.clicked IS DISTINCT FROM s.clicked`;
    expect(Number(mismatches[0]!.n)).toBe(0);
  });

  it("counts every event of concurrent batches exactly once", async () => {
    await db.campaignEvent.deleteMany({ where: { workspaceId: fixture.workspaceId } });
    // Many batches at once into the same few buckets (the hot rows), through the API and straight into the table.
    const at = (i: number) => new Date(Date.now() - DAY + (i % 7) * 10 * MINUTE).toISOString();
    const batch = (b: number) => Array.from({ length: 50 }, (_, i) => ({ type: TYPES[(b + i) % 3]!, occurredAt: at(b * 50 + i) }));
    const client = apiClient(fixture.writeKey);
    const viaApi = Array.from({ length: 24 }, (_, b) =>
      client.POST("/api/v1/campaigns/{id}/events", { params: { path: { id: fixture.campaigns[b % 3]! } }, body: { events: batch(b) } }),
    );
    const direct = Array.from({ length: 16 }, (_, b) =>
      db.campaignEvent.createMany({
        data: batch(b).map((e) => ({
          workspaceId: fixture.workspaceId,
          campaignId: fixture.campaigns[b % 2]!,
          type: e.type,
          occurredAt: new Date(e.occurredAt),
        })),
      }),
    );
    const answers = await Promise.all(viaApi);
    expect(answers.filter((a) => a.response.status >= 300)).toEqual([]);
    await Promise.all(direct);

    const raw = await db.campaignEvent.count({ where: { workspaceId: fixture.workspaceId } });
    expect(raw).toBe(40 * 50);
    const { data } = await apiClient(fixture.key).GET("/api/v1/analytics", {
      params: { query: { from: iso(Date.now() - 2 * DAY), to: iso(Date.now()), groupBy: "campaign,hour", timezone: "Asia/Kathmandu" } },
    });
    expect(data!.totals.sent + data!.totals.opened + data!.totals.clicked).toBe(2000);
    const perLevel = await db.$queryRaw<{ seconds: number; n: bigint }[]>`
      SELECT seconds, sum(sent + opened + clicked)::bigint AS n FROM "CampaignEventRollup"
      WHERE "workspaceId" = ${fixture.workspaceId} GROUP BY seconds ORDER BY seconds`;
    expect(perLevel.map((row) => [row.seconds, Number(row.n)])).toEqual([
      [900, 2000],
      [3600, 2000],
      [86400, 2000],
    ]);
  });
});

describe("the dates analytics accepts", () => {
  let key: string;
  beforeAll(async () => {
    key = (await createFixture()).key;
  });

  const get = async (query: Record<string, string>) => {
    const { data, error, response } = await apiClient(key).GET("/api/v1/analytics", { params: { query: query as Query } });
    return { status: response.status, data, error: error as { errors?: Record<string, string[]> } | undefined };
  };

  it("answers the first and the last instants of the documented range", async () => {
    const queries: Record<string, string>[] = [
      { from: "0001-01-01T00:00:00Z", to: "0001-06-01T00:00:00Z", groupBy: "day", timezone: "America/New_York" },
      { from: "9999-12-01T00:00:00Z", to: "9999-12-31T23:59:59.999Z", groupBy: "campaign,hour", timezone: "Pacific/Kiritimati" },
      { to: "0001-01-31T00:00:00Z" },
      { from: "0000-12-31T23:00:00-02:00", to: "0001-01-02T00:00:00Z", groupBy: "hour" },
    ];
    for (const query of queries) {
      const answer = await get(query);
      expect(answer.status, JSON.stringify(query)).toBe(200);
      expect(answer.data!.totals).toEqual({ sent: 0, opened: 0, clicked: 0 });
    }
  });

  // The two queries of issue 9 that answered 500 (PostgreSQL 22008 and 22007), and their neighbours.
  const outside: [Record<string, string>, string, string][] = [
    [{ to: "0001-01-15T00:00:00Z" }, "to", "give `from` too"],
    [{ from: "0000-01-01T00:00:00Z", to: "0000-06-01T00:00:00Z", groupBy: "day" }, "from", "0001-01-01T00:00:00.000Z"],
    [{ from: "0000-12-31T00:00:00Z", to: "0001-01-02T00:00:00Z" }, "from", "0001-01-01T00:00:00.000Z"],
    [{ from: "0001-01-01T00:00:00+01:00", to: "0001-01-02T00:00:00Z" }, "from", "0001-01-01T00:00:00.000Z"],
    [{ from: "9999-12-31T00:00:00Z", to: "9999-12-31T23:59:59.999-00:01" }, "to", "9999-12-31T23:59:59.999Z"],
  ];
  it.each(outside)("answers 422 naming the field for %j", async (query, field, hint) => {
    const answer = await get(query);
    expect(answer.status).toBe(422);
    expect(answer.error?.errors?.[field]?.[0]).toContain(hint);
  });
});

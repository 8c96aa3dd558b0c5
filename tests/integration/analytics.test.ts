import { beforeAll, describe, expect, it } from "vitest";
import type { paths } from "@/client";
import { db } from "@/server/db";
import { mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { createTeam, unique } from "../support/factories";

type Query = NonNullable<paths["/api/v1/analytics"]["get"]["parameters"]["query"]>;
type EventType = "sent" | "opened" | "clicked";

// One week of October 2025 (always in the past, and before the clocks change in Europe/Berlin on the 26th).
const FROM = "2025-10-01T00:00:00.000Z";
const TO = "2025-10-08T00:00:00.000Z";
const RANGE = { from: FROM, to: TO };
const DAY_MS = 86_400_000;

async function createCampaign(workspaceId: string, tagIds: string[] = []) {
  const campaign = await db.campaign.create({ data: { workspaceId, name: unique("campaign"), subject: "Hello" } });
  if (tagIds.length) await db.campaignTag.createMany({ data: tagIds.map((tagId) => ({ workspaceId, campaignId: campaign.id, tagId })) });
  return campaign.id;
}

async function createTag(workspaceId: string) {
  return (await db.tag.create({ data: { workspaceId, name: unique("tag"), color: "#336699" } })).id;
}

/** `count` events of `type` for the campaign at `at`. */
function events(workspaceId: string, campaignId: string, type: EventType, at: string | Date, count = 1) {
  return Array.from({ length: count }, () => ({ workspaceId, campaignId, type, occurredAt: new Date(at) }));
}

async function analytics(key: string, query: Query) {
  const { data, error, response } = await apiClient(key).GET("/api/v1/analytics", { params: { query } });
  return { status: response.status, data, error: error as Record<string, unknown> | undefined };
}

/** A problem body without its per-request id, to compare two answers. */
function withoutRequestId(body: Record<string, unknown> | undefined) {
  const { requestId, ...rest } = body ?? {};
  expect(requestId).toEqual(expect.any(String));
  return rest;
}

const zero = { sent: 0, opened: 0, clicked: 0 };

describe("GET /api/v1/analytics", () => {
  let key: string;
  let withoutAnalytics: string;
  let first: string; // tagged "newsletter"
  let second: string; // tagged "promo"
  let newsletter: string;
  let foreign: { campaignId: string; tagId: string };
  const sortedIds = () => [first, second].sort();

  beforeAll(async () => {
    // One after the other: both owners share a name, so concurrent sign-ups race for the same free slug.
    const team = await createTeam();
    const other = await createTeam();
    const ws = team.workspace.id;
    newsletter = await createTag(ws);
    const promo = await createTag(ws);
    first = await createCampaign(ws, [newsletter]);
    second = await createCampaign(ws, [promo]);
    key = (await mintKey(team.member, { kind: "restricted", permissions: ["analytics.read"] })).key;
    withoutAnalytics = (await mintKey(team.member, { kind: "restricted", permissions: ["campaigns.read", "tags.read"] })).key;

    const week = [
      ...events(ws, first, "sent", "2025-10-01T09:15:00Z", 3),
      ...events(ws, first, "opened", "2025-10-01T10:05:00Z", 2),
      ...events(ws, first, "clicked", "2025-10-02T08:00:00Z"),
      ...events(ws, second, "clicked", FROM), // exactly `from`: inside
      ...events(ws, second, "sent", "2025-10-01T09:45:00Z", 2),
      ...events(ws, second, "opened", "2025-10-02T23:30:00Z"), // 01:30 on the 3rd in Berlin
      // Outside the week: just before `from`, exactly at `to`, and recent (for the default range).
      ...events(ws, first, "sent", "2025-09-30T23:59:59.999Z"),
      ...events(ws, second, "opened", TO),
      ...events(ws, first, "sent", new Date(Date.now() - DAY_MS), 4),
      ...events(ws, first, "opened", new Date(Date.now() - 31 * DAY_MS)),
    ];

    // Another workspace, busy at the very same moments: none of it may ever be counted.
    const ows = other.workspace.id;
    const otherTag = await createTag(ows);
    const otherCampaign = await createCampaign(ows, [otherTag]);
    foreign = { campaignId: otherCampaign, tagId: otherTag };
    const noise = week.map((event) => ({ ...event, workspaceId: ows, campaignId: otherCampaign }));

    await db.campaignEvent.createMany({ data: [...week, ...noise] });
  });

  it("counts the totals of the range, excluding events before `from` and at `to`", async () => {
    const { status, data } = await analytics(key, RANGE);
    expect(status).toBe(200);
    expect(data).toEqual({ from: FROM, to: TO, groupBy: [], timezone: "UTC", totals: { sent: 5, opened: 3, clicked: 2 }, data: [] });
  });

  it("covers the last 30 days by default", async () => {
    const before = Date.now();
    const { data } = await analytics(key, {});
    const [from, to] = [Date.parse(data!.from), Date.parse(data!.to)];
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to - from).toBe(30 * DAY_MS);
    expect(data!.totals).toEqual({ sent: 4, opened: 0, clicked: 0 });
  });

  it("groups by campaign", async () => {
    const { data } = await analytics(key, { ...RANGE, groupBy: "campaign" });
    const rows = {
      [first]: { campaignId: first, sent: 3, opened: 2, clicked: 1 },
      [second]: { campaignId: second, sent: 2, opened: 1, clicked: 1 },
    };
    expect(data!.groupBy).toEqual(["campaign"]);
    expect(data!.data).toEqual(sortedIds().map((id) => rows[id]));
    expect(data!.totals).toEqual({ sent: 5, opened: 3, clicked: 2 });
  });

  it("groups by day, listing only days with events", async () => {
    const { data } = await analytics(key, { ...RANGE, groupBy: "day" });
    expect(data!.data).toEqual([
      { bucket: "2025-10-01T00:00:00.000Z", sent: 5, opened: 2, clicked: 1 },
      { bucket: "2025-10-02T00:00:00.000Z", sent: 0, opened: 1, clicked: 1 },
    ]);
  });

  it("groups by hour", async () => {
    const { data } = await analytics(key, { ...RANGE, groupBy: "hour" });
    expect(data!.data).toEqual([
      { bucket: "2025-10-01T00:00:00.000Z", ...zero, clicked: 1 },
      { bucket: "2025-10-01T09:00:00.000Z", ...zero, sent: 5 },
      { bucket: "2025-10-01T10:00:00.000Z", ...zero, opened: 2 },
      { bucket: "2025-10-02T08:00:00.000Z", ...zero, clicked: 1 },
      { bucket: "2025-10-02T23:00:00.000Z", ...zero, opened: 1 },
    ]);
  });

  it("groups by campaign and day, ordered by day then campaign", async () => {
    const { data } = await analytics(key, { ...RANGE, groupBy: "day,campaign" });
    expect(data!.groupBy).toEqual(["campaign", "day"]);
    const day1 = "2025-10-01T00:00:00.000Z";
    const day2 = "2025-10-02T00:00:00.000Z";
    const rows = {
      [`${day1} ${first}`]: { campaignId: first, bucket: day1, sent: 3, opened: 2, clicked: 0 },
      [`${day1} ${second}`]: { campaignId: second, bucket: day1, sent: 2, opened: 0, clicked: 1 },
      [`${day2} ${first}`]: { campaignId: first, bucket: day2, sent: 0, opened: 0, clicked: 1 },
      [`${day2} ${second}`]: { campaignId: second, bucket: day2, sent: 0, opened: 1, clicked: 0 },
    };
    expect(data!.data).toEqual([day1, day2].flatMap((day) => sortedIds().map((id) => rows[`${day} ${id}`])));
  });

  it("starts day buckets at midnight in the requested time zone", async () => {
    const { data } = await analytics(key, { ...RANGE, groupBy: "day", timezone: "europe/berlin" });
    expect(data!.timezone).toBe("Europe/Berlin");
    expect(data!.data).toEqual([
      { bucket: "2025-09-30T22:00:00.000Z", sent: 5, opened: 2, clicked: 1 },
      { bucket: "2025-10-01T22:00:00.000Z", sent: 0, opened: 0, clicked: 1 },
      { bucket: "2025-10-02T22:00:00.000Z", sent: 0, opened: 1, clicked: 0 },
    ]);
  });

  it("filters by campaign and by tag", async () => {
    const byCampaign = await analytics(key, { ...RANGE, campaignId: second, groupBy: "campaign" });
    expect(byCampaign.data!.totals).toEqual({ sent: 2, opened: 1, clicked: 1 });
    expect(byCampaign.data!.data).toEqual([{ campaignId: second, sent: 2, opened: 1, clicked: 1 }]);

    const byTag = await analytics(key, { ...RANGE, tagId: newsletter, groupBy: "campaign" });
    expect(byTag.data!.totals).toEqual({ sent: 3, opened: 2, clicked: 1 });
    expect(byTag.data!.data).toEqual([{ campaignId: first, sent: 3, opened: 2, clicked: 1 }]);

    const neither = await analytics(key, { ...RANGE, tagId: newsletter, campaignId: second, groupBy: "day" });
    expect(neither.data).toMatchObject({ totals: zero, data: [] });
  });

  it.each(["campaignId", "tagId"] as const)("answers another workspace's %s exactly like an unknown one: 404", async (filter) => {
    const theirs = await analytics(key, { ...RANGE, [filter]: foreign[filter] });
    const unknownId = await analytics(key, { ...RANGE, [filter]: "cm0000000000000000000000" });
    expect(theirs.status).toBe(404);
    expect(unknownId.status).toBe(404);
    expect(withoutRequestId(theirs.error)).toEqual(withoutRequestId(unknownId.error));
    expect(theirs.error).toMatchObject({ code: "not_found", detail: `${filter === "tagId" ? "Tag" : "Campaign"} not found.` });
  });

  it("answers 401 without a valid key and 403 naming analytics.read without the permission", async () => {
    expect((await analytics("hey_notarealkey", RANGE)).status).toBe(401);
    const forbidden = await analytics(withoutAnalytics, RANGE);
    expect(forbidden.status).toBe(403);
    expect(forbidden.error).toMatchObject({ code: "forbidden", requiredPermission: "analytics.read" });
    expect(forbidden.error?.detail).toContain('"analytics.read"');
  });

  it("accepts the longest ranges: 366 days by day, 31 days by hour", async () => {
    const yearStart = new Date(Date.parse(TO) - 366 * DAY_MS).toISOString();
    expect((await analytics(key, { from: yearStart, to: TO, groupBy: "day" })).data!.totals).toEqual({ sent: 6, opened: 3, clicked: 2 });
    const monthStart = new Date(Date.parse(TO) - 31 * DAY_MS).toISOString();
    expect((await analytics(key, { from: monthStart, to: TO, groupBy: "hour" })).status).toBe(200);
  });

  const tooLong = (days: number) => new Date(Date.parse(TO) - days * DAY_MS - 1).toISOString();
  const invalid: [string, Record<string, string>, string][] = [
    ["a date that is not ISO 8601", { from: "yesterday", to: TO }, "from"],
    ["a date without a time", { from: "2025-10-01", to: TO }, "from"],
    ["a date-time without an offset", { from: "2025-10-01T00:00:00", to: TO }, "from"],
    ["to equal to from", { from: FROM, to: FROM }, "to"],
    ["to before from", { from: TO, to: FROM }, "to"],
    ["more than 366 days", { from: tooLong(366), to: TO }, "from"],
    ["more than 366 days by day", { from: tooLong(366), to: TO, groupBy: "day" }, "from"],
    ["more than 31 days by hour", { from: tooLong(31), to: TO, groupBy: "campaign,hour" }, "from"],
    ["an unknown grouping", { ...RANGE, groupBy: "campaign,week" }, "groupBy"],
    ["an empty grouping", { ...RANGE, groupBy: "" }, "groupBy"],
    ["day and hour together", { ...RANGE, groupBy: "day,hour" }, "groupBy"],
    ["a grouping twice", { ...RANGE, groupBy: "campaign,campaign" }, "groupBy"],
    ["an unknown time zone", { ...RANGE, groupBy: "day", timezone: "Mars/Olympus_Mons" }, "timezone"],
    ["a POSIX offset as time zone", { ...RANGE, groupBy: "day", timezone: "+05:00" }, "timezone"],
    ["a malformed campaign id", { ...RANGE, campaignId: "not an id" }, "campaignId"],
    ["an unknown query parameter", { ...RANGE, limit: "10" }, "limit"],
  ];

  it.each(invalid)("answers 422 for %s", async (_, query, field) => {
    const { status, error } = await analytics(key, query as Query);
    expect(status).toBe(422);
    expect(error).toMatchObject({ code: "unprocessable_entity", errors: { [field]: [expect.any(String)] } });
  });

  it("names the rule that was broken", async () => {
    const messages = async (query: Record<string, string>) => (await analytics(key, query as Query)).error?.errors;
    expect(await messages({ ...RANGE, groupBy: "day,hour" })).toEqual({ groupBy: ['Group by "day" or by "hour", not both.'] });
    expect(await messages({ ...RANGE, groupBy: "campaign,week" })).toEqual({
      groupBy: ['Unknown grouping "week". Use a comma-separated list of campaign, day, hour.'],
    });
    expect(await messages({ from: tooLong(31), to: TO, groupBy: "hour" })).toEqual({
      from: ["The range can span at most 31 days when grouping by hour."],
    });
    expect(await messages({ ...RANGE, limit: "10" })).toEqual({ limit: ["Unknown field."] });
  });
});

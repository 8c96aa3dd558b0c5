import { z } from "zod";
import { idSchema, timestamp } from "@/server/api/common-schemas";

export const GROUP_KEYS = ["campaign", "day", "hour"] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export const DEFAULT_RANGE_DAYS = 30;
/** The longest range per time grouping: an hourly series over a year would be 8,784 buckets per campaign. */
export const MAX_RANGE_DAYS = { day: 366, hour: 31 } as const;
const DAY_MS = 86_400_000;
/** The most rows `data` holds (about 1.6 MB of JSON); a query with more groups is refused, naming groupBy. */
export const MAX_ANALYTICS_ROWS = 20_000;

/**
 * The instants `from` and `to` may name: years 1 to 9999 in UTC, what a four-digit ISO 8601 year writes without
 * a sign. The database knows no year 0 (ISO's 0000 is its 1 BC) and JavaScript writes years after 9999 with a
 * sign and six digits, so outside this range a date could not be passed on as written; an offset can move a
 * four-digit date-time just outside it ("0000-12-31T23:00:00-02:00" is fine, "0001-01-01T00:00:00+01:00" is not).
 */
export const EARLIEST = "0001-01-01T00:00:00.000Z";
export const LATEST = "9999-12-31T23:59:59.999Z";
const EARLIEST_MS = Date.parse(EARLIEST);
const LATEST_MS = Date.parse(LATEST);
// Written so that an invalid date (NaN) is out of range too.
const outOfRange = (date: Date) => !(date.getTime() >= EARLIEST_MS && date.getTime() <= LATEST_MS);
const RANGE_MESSAGE = `Use a date-time from ${EARLIEST} to ${LATEST}.`;

const groupBySchema = z
  .string()
  .max(64)
  .transform((value, ctx): GroupKey[] => {
    const names = value.split(",").map((name) => name.trim());
    const unknown = names.filter((name) => !(GROUP_KEYS as readonly string[]).includes(name));
    if (unknown.length) {
      ctx.addIssue({
        code: "custom",
        message: `Unknown grouping ${unknown.map((name) => JSON.stringify(name)).join(", ")}. Use a comma-separated list of ${GROUP_KEYS.join(", ")}.`,
      });
      return z.NEVER;
    }
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: "custom", message: "Name each grouping once." });
      return z.NEVER;
    }
    if (names.includes("day") && names.includes("hour")) {
      ctx.addIssue({ code: "custom", message: 'Group by "day" or by "hour", not both.' });
      return z.NEVER;
    }
    // One order whatever the caller wrote, so the answer's groupBy is predictable.
    return GROUP_KEYS.filter((key) => names.includes(key));
  })
  .describe('Comma-separated: "campaign", and "day" or "hour" (not both). Absent: totals only.');

/** An IANA zone name, as Intl knows it; refuses POSIX strings such as "+05:00", which PostgreSQL reads with the opposite sign. */
function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const timezoneSchema = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (zone) return zone;
    ctx.addIssue({ code: "custom", message: 'Use an IANA time zone name such as "Europe/Berlin" or "UTC".' });
    return z.NEVER;
  })
  .describe('IANA time zone in which day and hour buckets start, e.g. "Europe/Berlin". Default: UTC.');

export const analyticsQuerySchema = z
  .strictObject({
    from: timestamp
      .optional()
      .describe(
        `Start of the range, inclusive (ISO 8601 date-time, ${EARLIEST} to ${LATEST}). Default: ${DEFAULT_RANGE_DAYS} days before \`to\`.`,
      ),
    to: timestamp.optional().describe(`End of the range, exclusive (ISO 8601 date-time, ${EARLIEST} to ${LATEST}). Default: now.`),
    groupBy: groupBySchema.optional(),
    campaignId: idSchema.optional().describe("Only this campaign's events."),
    tagId: idSchema.optional().describe("Only events of campaigns carrying this tag."),
    timezone: timezoneSchema.optional(),
  })
  .transform((query, ctx) => {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
    const groupBy = query.groupBy ?? [];
    if (query.to && outOfRange(to)) ctx.addIssue({ code: "custom", path: ["to"], message: RANGE_MESSAGE });
    if (query.from && outOfRange(from)) ctx.addIssue({ code: "custom", path: ["from"], message: RANGE_MESSAGE });
    if (!query.from && !outOfRange(to) && outOfRange(from)) {
      const message = `The default range starts ${DEFAULT_RANGE_DAYS} days before \`to\`, before ${EARLIEST}: give \`from\` too.`;
      ctx.addIssue({ code: "custom", path: ["to"], message });
    }
    if (outOfRange(to) || outOfRange(from)) return z.NEVER;
    if (to <= from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "Choose a `to` after `from`." });
      return z.NEVER;
    }
    const unit = groupBy.includes("hour") ? "hour" : "day";
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS[unit] * DAY_MS) {
      const when = unit === "hour" ? " when grouping by hour" : "";
      ctx.addIssue({ code: "custom", path: ["from"], message: `The range can span at most ${MAX_RANGE_DAYS[unit]} days${when}.` });
      return z.NEVER;
    }
    return { from, to, groupBy, campaignId: query.campaignId, tagId: query.tagId, timezone: query.timezone ?? "UTC" };
  });

export type AnalyticsQuery = z.output<typeof analyticsQuerySchema>;

const count = z.number().int().min(0);
const counts = { sent: count, opened: count, clicked: count };

export const analyticsSchema = z
  .object({
    from: timestamp.describe("Start of the range, inclusive."),
    to: timestamp.describe("End of the range, exclusive."),
    groupBy: z.array(z.enum(GROUP_KEYS)).max(GROUP_KEYS.length),
    timezone: z.string().max(64).describe("The zone the buckets start in."),
    totals: z.object(counts).describe("Every event in the range (after the filters)."),
    data: z
      .array(
        z.object({
          campaignId: z
            .string()
            .max(64)
            .regex(/^[A-Za-z0-9_-]+$/)
            .optional()
            .describe('When grouping by "campaign".'),
          bucket: timestamp.optional().describe('When grouping by "day" or "hour": the instant the bucket starts, in UTC.'),
          ...counts,
        }),
      )
      .max(MAX_ANALYTICS_ROWS)
      .describe("One row per group that has events, ordered by bucket, then campaign id; empty without groupBy."),
  })
  .describe("Event counts by type.");

export type AnalyticsView = z.input<typeof analyticsSchema>;

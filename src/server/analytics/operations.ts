import { readAnalytics } from "@/server/analytics/read-analytics";
import { defineOperation } from "@/server/api/operation";
import { route } from "@/server/api/routes";
import { analyticsQuerySchema, analyticsSchema, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from "./schemas";

export const getAnalyticsOperation = defineOperation({
  ...route("getAnalytics"),
  tag: "Analytics",
  summary: "Count campaign events",
  description: [
    "Counts of `sent`, `opened` and `clicked` events in the range [`from`, `to`) — by default the last",
    `${DEFAULT_RANGE_DAYS} days — as totals and, with \`groupBy\`, per campaign and/or per day or hour (buckets`,
    "start in `timezone`, UTC by default). Only groups that have events appear in `data`: a day without events",
    `is absent, not a row of zeros. The range spans at most ${MAX_RANGE_DAYS.day} days, or ${MAX_RANGE_DAYS.hour}`,
    "when grouping by hour. `campaignId` and `tagId` narrow the events; an unknown id answers 404.",
    "A workspace's analytics requests are served one at a time on each server, with a pause after each, so that",
    "one workspace's burst cannot crowd out the others: a burst waits its turn, and when too many of the",
    "workspace's requests are already waiting the next answers 429 with `Retry-After`.",
  ].join(" "),
  permission: "analytics.read",
  heavy: true,
  query: analyticsQuerySchema,
  status: 200,
  errors: [404, 422],
  response: analyticsSchema,
  example: {
    response: {
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-11-03T00:00:00.000Z",
      groupBy: ["campaign", "day"],
      timezone: "UTC",
      totals: { sent: 1500, opened: 620, clicked: 95 },
      data: [
        { campaignId: "cm3k2j4l50003abcd1234efgh", bucket: "2026-11-01T00:00:00.000Z", sent: 1000, opened: 410, clicked: 60 },
        { campaignId: "cm3k2j4l50003abcd1234efgh", bucket: "2026-11-02T00:00:00.000Z", sent: 0, opened: 120, clicked: 20 },
        { campaignId: "cm3k2j4l50004abcd1234efgh", bucket: "2026-11-02T00:00:00.000Z", sent: 500, opened: 90, clicked: 15 },
      ],
    },
  },
  run: ({ principal, query }) => readAnalytics(principal, query),
});

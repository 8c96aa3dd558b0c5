// GET /api/v1/analytics – counts of sent, opened and clicked events by campaign and/or day or hour
import { getAnalyticsOperation } from "@/server/analytics/operations";
import { readAnalytics } from "@/server/analytics/read-analytics";
import { handle } from "@/server/api/handle";

export const GET = handle(getAnalyticsOperation, ({ principal, query }) => readAnalytics(principal, query));

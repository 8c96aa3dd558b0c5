// GET /api/v1/analytics – counts of sent, opened and clicked events by campaign and/or day or hour
import { handle } from "@/server/api/handle";
import { getAnalyticsOperation } from "@/server/analytics/operations";

export const GET = handle(getAnalyticsOperation);

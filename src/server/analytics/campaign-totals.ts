import type { Principal } from "@/server/auth/principal";
import { readAnalytics } from "./read-analytics";
import { analyticsQuerySchema } from "./schemas";

const YEAR_MS = 365 * 86_400_000;

/** Sent / opened / clicked per campaign over the last 365 days (the campaigns page's figures). */
export function campaignTotalsForYear(principal: Principal) {
  const to = new Date();
  const from = new Date(to.getTime() - YEAR_MS);
  return readAnalytics(principal, analyticsQuerySchema.parse({ groupBy: "campaign", from: from.toISOString(), to: to.toISOString() }));
}

const YEAR_MS = 365 * 86_400_000;

/** The analytics query behind the campaigns page's figures: sent / opened / clicked per campaign over 365 days. */
export function campaignTotalsForYear(now = new Date()) {
  return { groupBy: "campaign", from: new Date(now.getTime() - YEAR_MS).toISOString(), to: now.toISOString() };
}

// Pure (no zod, no database): the rules of a key's allowlist and of a roll's grace periods, read alike by the
// API's schemas (schemas.ts) and by the key dialogs in the browser, which check an allowlist before sending it.
import { formatIpRange, parseIpRange } from "@/server/http/ip-address";

export const MAX_ALLOWLIST_ENTRIES = 100;
export const MAX_ALLOWLIST_ENTRY_LENGTH = 64;

export const ALLOWLIST_MESSAGES = {
  tooMany: `Use at most ${MAX_ALLOWLIST_ENTRIES} addresses or ranges.`,
  tooLong: `Use at most ${MAX_ALLOWLIST_ENTRY_LENGTH} characters per entry.`,
  invalid: (entry: string) =>
    `"${entry.trim().slice(0, MAX_ALLOWLIST_ENTRY_LENGTH)}" is not an IP address or CIDR range, e.g. 203.0.113.7, 203.0.113.0/24 or 2001:db8::/32.`,
};

/** What is wrong with these allowlist entries (too many, too long, or the first that is no address or range), or null. */
export function allowlistProblem(entries: readonly string[]): string | null {
  if (entries.length > MAX_ALLOWLIST_ENTRIES) return ALLOWLIST_MESSAGES.tooMany;
  if (entries.some((entry) => entry.length > MAX_ALLOWLIST_ENTRY_LENGTH)) return ALLOWLIST_MESSAGES.tooLong;
  const bad = entries.find((entry) => parseIpRange(entry) === null);
  return bad === undefined ? null : ALLOWLIST_MESSAGES.invalid(bad);
}

/** Valid entries in their canonical form (203.0.113.7/24 → 203.0.113.0/24, ::ffff:10.0.0.1 → 10.0.0.1), each once. */
export function normaliseAllowlist(entries: readonly string[]): string[] {
  return [...new Set(entries.map((entry) => formatIpRange(parseIpRange(entry)!)))];
}

/** How long the old key keeps working after a roll. */
export const GRACE_PERIODS = { none: 0, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export type GracePeriod = keyof typeof GRACE_PERIODS;

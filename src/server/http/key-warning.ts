import type { Principal } from "@/server/auth/principal";

// Ahead-of-time warnings for a key about to stop working (its expiry, or the end of a roll's grace period), on
// every answer to a request made with it, so that a client can alert before its calls start failing.

/** The window before a key stops in which its answers carry the warning headers. */
export const KEY_WARNING_WINDOW_MS = 7 * 86_400_000;

export const KEY_EXPIRES_HEADER = "heyoo-key-expires-at";
export const KEY_WARNING_HEADER = "heyoo-key-warning";

function inWords(ms: number): string {
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  return `${Math.round(hours / 24)} days`;
}

/** `Heyoo-Key-Expires-At` and `Heyoo-Key-Warning` when the calling key stops within a week; else nothing. */
export function keyWarningHeaders(principal: Principal, now: Date = new Date()): Record<string, string> {
  const stopsAt = principal.apiKey?.stopsAt;
  if (!stopsAt) return {};
  const left = stopsAt.getTime() - now.getTime();
  if (left <= 0 || left > KEY_WARNING_WINDOW_MS) return {};
  const when = stopsAt.toISOString();
  const sentence = principal.apiKey!.rolled
    ? `This API key was rolled and stops working at ${when} (in about ${inWords(left)}). Switch to the key that replaced it.`
    : `This API key expires at ${when} (in about ${inWords(left)}). Roll it or create a new key in Settings > API Keys.`;
  return { [KEY_EXPIRES_HEADER]: when, [KEY_WARNING_HEADER]: sentence };
}

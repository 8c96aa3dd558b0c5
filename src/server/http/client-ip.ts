/**
 * The caller's address as the proxy in front of the app reports it (Vercel and `next start` both set
 * x-forwarded-for). Used only to key rate limits.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}

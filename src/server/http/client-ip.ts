import { config } from "@/server/config";

/**
 * The caller's address, used only to key rate limits. A client can send any X-Forwarded-For it likes, and each
 * proxy appends the address it saw, so only the last TRUSTED_PROXY_HOPS entries are facts: the one that many
 * places from the right is the client as the outermost trusted proxy saw it. Taking the first entry would let
 * a client pick a fresh address per request and never be limited.
 */
export function clientIpFrom(headers: Headers, trustedHops: number): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length) return forwarded[Math.max(0, forwarded.length - trustedHops)]!;
  return headers.get("x-real-ip")?.trim() || "unknown";
}

export function clientIp(headers: Headers): string {
  return clientIpFrom(headers, config().TRUSTED_PROXY_HOPS);
}

import { timingSafeEqual } from "node:crypto";
import { config } from "@/server/config";
import { normaliseIp } from "./ip-address";

// The caller's address, for rate limits, key allowlists and the audit log.
//
// The one fact is the socket's peer. The server's request filter (raw-path-guard.ts) writes it into a header
// together with a secret of this process, so that a client sending the same header proves nothing. Each proxy in
// front appends the address it saw to X-Forwarded-For, so with TRUSTED_PROXY_HOPS proxies the client is the
// entry that many places left of the peer; anything further left was written by the client and is ignored.

const PEER_HEADER = "x-heyoo-peer";
const TOKEN = Symbol.for("heyoo.peerToken");
const globalToken = globalThis as unknown as { [TOKEN]?: string };

/** This process's secret for the peer header (the request filter and the route handlers share globalThis). */
function peerToken(): string {
  return (globalToken[TOKEN] ??= crypto.randomUUID());
}

/** The header the request filter sets on every request: "<secret> <address>", replacing any a client sent. */
export function peerHeader(remoteAddress: string | undefined): [string, string] {
  return [PEER_HEADER, `${peerToken()} ${remoteAddress ?? "unknown"}`];
}

function trustedPeer(headers: Headers): string | null {
  const value = headers.get(PEER_HEADER);
  const token = globalToken[TOKEN];
  if (!value || !token) return null;
  const [given = "", address] = value.split(" ");
  const [a, b] = [Buffer.from(given), Buffer.from(token)];
  const same = a.length === b.length && timingSafeEqual(a, b);
  return same && address ? address : null;
}

export function clientIpFrom(headers: Headers, trustedHops: number): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const peer = trustedPeer(headers);
  if (peer !== null) {
    const chain = [...forwarded, peer];
    return normaliseIp(chain[Math.max(0, chain.length - 1 - trustedHops)]!);
  }
  // No peer: the handlers run without this app's server (a platform such as Vercel, or a test calling them),
  // so a proxy is in front and the last entry is the one it appended.
  if (forwarded.length) return normaliseIp(forwarded[Math.max(0, forwarded.length - Math.max(1, trustedHops))]!);
  return normaliseIp(headers.get("x-real-ip")?.trim() || "unknown");
}

export function clientIp(headers: Headers): string {
  return clientIpFrom(headers, config().TRUSTED_PROXY_HOPS);
}

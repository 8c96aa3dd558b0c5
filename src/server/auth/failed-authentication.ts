import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { config } from "@/server/config";
import { AppError } from "@/server/http/errors";
import { createLimiter, rateLimited } from "@/server/http/rate-limit";

// Failed authentications (no key, a malformed, unknown, revoked or expired one, a dead session) are counted per
// client address in the shared store, so that guessing keys costs the guesser, not the database: once an address
// has spent its failures, every instance that saw it fail refuses its requests before any lookup until the window
// ends. A successful request costs nothing here.

let limiter: RateLimiterAbstract | undefined;
/** Addresses this instance knows to be blocked, until when (ms since epoch). Bounded: old entries are dropped. */
const blockedUntil = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

function failures(): RateLimiterAbstract {
  const { API_AUTH_MAX_FAILURES_PER_IP, API_AUTH_FAILURE_WINDOW_SECONDS } = config();
  return (limiter ??= createLimiter("api-auth-failures:ip", API_AUTH_MAX_FAILURES_PER_IP, API_AUTH_FAILURE_WINDOW_SECONDS));
}

function tooMany(msBeforeNext: number): AppError {
  return rateLimited(new RateLimiterRes(0, msBeforeNext), "Too many failed authentication attempts from this address.");
}

/** Throws the 429 when this address already spent its failures; costs no I/O. */
export function refuseBlockedAddress(ip: string): void {
  const until = blockedUntil.get(ip);
  if (until === undefined) return;
  if (until > Date.now()) throw tooMany(until - Date.now());
  blockedUntil.delete(ip);
}

/** Counts one failed authentication of `ip`; throws the 429 instead when this one is over the limit. */
export async function countFailedAuthentication(ip: string): Promise<void> {
  try {
    await failures().consume(ip);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    if (blockedUntil.size >= MAX_REMEMBERED) blockedUntil.delete(blockedUntil.keys().next().value!);
    blockedUntil.set(ip, Date.now() + error.msBeforeNext);
    throw tooMany(error.msBeforeNext);
  }
}

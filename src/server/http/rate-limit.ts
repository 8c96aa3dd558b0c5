import { Redis } from "ioredis";
import pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { config } from "@/server/config";
import { poolOptions } from "@/server/db-pool";
import { AppError } from "./errors";

// Counters live where every instance sees them: Redis when REDIS_URL is set, otherwise PostgreSQL (one
// atomic upsert per hit). Process memory only for the embedded single-process database.
const shared = globalThis as unknown as { heyooRateLimitRedis?: Redis; heyooRateLimitPool?: pg.Pool };

function redis(url: string): Redis {
  // Commands wait in ioredis's queue while it (re)connects, instead of failing the first requests after boot.
  return (shared.heyooRateLimitRedis ??= new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 }));
}

function pool(): pg.Pool {
  if (!shared.heyooRateLimitPool) {
    const created = new pg.Pool(poolOptions(2));
    // An idle connection dropped by the server (restart, failover) is an "error" event: unheard, it would be an
    // uncaught exception. The pool replaces the connection on the next query.
    created.on("error", (error) => console.error("[heyoo] rate-limit pool:", error.message));
    shared.heyooRateLimitPool = created;
  }
  return shared.heyooRateLimitPool;
}

export function createLimiter(keyPrefix: string, points: number, durationSeconds: number): RateLimiterAbstract {
  const { REDIS_URL, EMBEDDED_DATABASE } = config();
  const options = { keyPrefix, points, duration: durationSeconds };
  if (REDIS_URL) {
    // Should Redis fail, each instance keeps limiting on its own rather than failing requests.
    return new RateLimiterRedis({ ...options, storeClient: redis(REDIS_URL), insuranceLimiter: new RateLimiterMemory(options) });
  }
  if (EMBEDDED_DATABASE) return new RateLimiterMemory(options);
  // The table is created by the migrations (model RateLimiterFlexible).
  return new RateLimiterPostgres({ ...options, storeClient: pool(), tableName: "RateLimiterFlexible", tableCreated: true });
}

export function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export function rateLimited(res: RateLimiterRes, message: string): AppError {
  const seconds = retryAfterSeconds(res);
  return new AppError("rate_limited", `${message} Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`, {
    retryAfterSeconds: seconds,
  });
}

/** Consumes `points`; returns the counter's state, or throws the 429 AppError when the limit is spent. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, message: string, points = 1): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, points);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error, message);
    throw error;
  }
}

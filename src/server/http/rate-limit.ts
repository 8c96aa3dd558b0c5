import { RateLimiterPrisma, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { Redis } from "ioredis";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { AppError } from "./errors";

// Counters live where every instance sees them: Redis when REDIS_URL is set, otherwise the database.
let redis: Redis | undefined;

function store(): { storeClient: unknown; kind: "redis" | "prisma" } {
  const url = config().REDIS_URL;
  if (!url) return { storeClient: db, kind: "prisma" };
  redis ??= new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  return { storeClient: redis, kind: "redis" };
}

export function createLimiter(keyPrefix: string, points: number, durationSeconds: number): RateLimiterAbstract {
  const { storeClient, kind } = store();
  const options = { keyPrefix, points, duration: durationSeconds, storeClient };
  return kind === "redis"
    ? new RateLimiterRedis(options)
    : new RateLimiterPrisma({ ...options, clearExpiredByTimeout: false });
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

/** Consumes one point; throws the 429 AppError when the limit is spent. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error, message);
    throw error;
  }
}

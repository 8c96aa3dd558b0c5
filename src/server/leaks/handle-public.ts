import "server-only";
import { randomUUID } from "node:crypto";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { z } from "zod";
import { clientIp } from "@/server/http/client-ip";
import { AppError } from "@/server/http/errors";
import { problemResponse } from "@/server/http/problem";
import { createLimiter, rateLimited } from "@/server/http/rate-limit";
import { withRequestClient } from "@/server/http/request-context";
import { toAppError } from "@/server/http/to-app-error";
import type { PublicEndpoint } from "./endpoints";

// The door of an endpoint without a principal: its own rate limit per client address (counted before anything
// else, so junk costs the sender too), the client known to the audit log, the answer shaped by the response
// schema, and any error as problem+json. No cookie is read, so no same-origin check is needed.

function rateLimitHeaders(policy: string, points: number, windowSeconds: number, res: RateLimiterRes): Record<string, string> {
  return {
    "ratelimit-policy": `"${policy}";q=${points};w=${windowSeconds}`,
    ratelimit: `"${policy}";r=${res.remainingPoints};t=${Math.max(0, Math.ceil(res.msBeforeNext / 1000))}`,
  };
}

export function handlePublic<B extends z.ZodType, R extends z.ZodType>(
  endpoint: PublicEndpoint<B, R>,
  run: (request: Request) => Promise<z.input<R>>,
) {
  let limiter: RateLimiterAbstract | undefined;
  return async (request: Request): Promise<Response> => {
    const requestId = randomUUID();
    let headers: Record<string, string> = {};
    try {
      const client = { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
      const { points, windowSeconds } = endpoint.rateLimit.limit();
      limiter ??= createLimiter(endpoint.rateLimit.name, points, windowSeconds);
      try {
        headers = rateLimitHeaders(endpoint.rateLimit.policy, points, windowSeconds, await limiter.consume(client.ip));
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        headers = rateLimitHeaders(endpoint.rateLimit.policy, points, windowSeconds, error);
        throw rateLimited(error, "Too many reports from this address.");
      }
      const result = await withRequestClient(client, () => run(request));
      const shaped = endpoint.response.safeParse(result);
      // The server broke its own contract: a bug to log and answer as a 500, never the caller's 422.
      if (!shaped.success) throw new Error(`${endpoint.id} answered outside its response schema: ${shaped.error.message}`);
      return Response.json(shaped.data, {
        status: endpoint.status,
        headers: { "cache-control": "no-store", "x-request-id": requestId, ...headers },
      });
    } catch (error) {
      try {
        return problemResponse(toAppError(error), requestId, headers);
      } catch {
        // The translator itself must never turn a bad request into Next's HTML 500.
        return problemResponse(new AppError("internal_error", "Something went wrong on our side."), requestId, headers);
      }
    }
  };
}

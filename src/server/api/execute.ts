import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { z } from "zod";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { config } from "@/server/config";
import { AppError, notFound } from "@/server/http/errors";
import { FairShare } from "@/server/http/fair-share";
import { createLimiter, rateLimited } from "@/server/http/rate-limit";
import { fieldErrorsOf, toAppError } from "@/server/http/to-app-error";
import { assertJsonBodyMatches, isJsonBody, jsonBodyText, type JsonBody } from "./json-body";
import type { Operation } from "./operation";

/** An operation's raw input, as a door received it; a function when reading it can fail (a body too large). */
export interface RawInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

export interface Executed<T> {
  /** The result; when the operation answered JSON text, parsed on first read (the API door only sends `json`). */
  readonly data: T;
  /** The result as JSON text, when the operation wrote it so (json-body.ts). */
  readonly json?: string;
  /** The caller's rate-limit state, for the answer's headers. */
  readonly headers: Record<string, string>;
}

function executed<T>(result: T | JsonBody<T>, headers: Record<string, string>): Executed<T> {
  if (!isJsonBody(result)) return { data: result, headers };
  const json = jsonBodyText(result);
  let parsed: T | undefined;
  return {
    json,
    headers,
    get data() {
      return (parsed ??= JSON.parse(json) as T);
    },
  };
}

let limiter: RateLimiterAbstract | undefined;

// One per process, also across Next's module copies (route handlers and Server Actions share the instance's time).
const shared = globalThis as unknown as { heyooHeavyReads?: FairShare };
/** The instance's fair share of heavy reads, one lane per workspace (decision 016). */
export function heavyReads(): FairShare {
  const { HEAVY_READ_SHARE, HEAVY_READ_QUEUE, HEAVY_READ_MAX_WAIT_MS } = config();
  return (shared.heyooHeavyReads ??= new FairShare({
    share: HEAVY_READ_SHARE,
    maxWaiting: HEAVY_READ_QUEUE,
    maxWaitMs: HEAVY_READ_MAX_WAIT_MS,
  }));
}

/** draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it. */
export function rateLimitHeaders(res: RateLimiterRes): Record<string, string> {
  const { API_RATE_LIMIT, API_RATE_LIMIT_WINDOW_SECONDS } = config();
  const reset = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
  return {
    "ratelimit-policy": `"default";q=${API_RATE_LIMIT};w=${API_RATE_LIMIT_WINDOW_SECONDS}`,
    ratelimit: `"default";r=${res.remainingPoints};t=${reset}`,
  };
}

/** One counter per key, or per signed-in user, shared by every instance and by both doors. */
async function rateLimit(principal: Principal): Promise<Record<string, string>> {
  const { API_RATE_LIMIT, API_RATE_LIMIT_WINDOW_SECONDS } = config();
  limiter ??= createLimiter("api", API_RATE_LIMIT, API_RATE_LIMIT_WINDOW_SECONDS);
  const subject = principal.apiKey ? `key:${principal.apiKey.id}` : `user:${principal.user.id}`;
  try {
    return rateLimitHeaders(await limiter.consume(subject));
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const limited = rateLimited(error, "Rate limit exceeded.");
    limited.details.headers = rateLimitHeaders(error);
    throw limited;
  }
}

function parseQuery<T>(schema: z.ZodType<T> | undefined, query: unknown): T {
  const given = (query ?? {}) as Record<string, unknown>;
  if (!schema) {
    const unknown = Object.keys(given);
    if (unknown.length) {
      throw new AppError("unprocessable_entity", "This endpoint takes no query parameters.", {
        fieldErrors: Object.fromEntries(unknown.map((name) => [name, ["Unknown query parameter."]])),
      });
    }
    return {} as T;
  }
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    throw new AppError("unprocessable_entity", "The query has invalid parameters.", { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("unprocessable_entity", "The request has invalid fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

/**
 * The one seam between a caller and the work: rate limits the principal, checks the operation's permission,
 * parses its params (an id that cannot exist is a 404, like one that does not), query and body, runs it and
 * shapes the result with the response schema (a result PostgreSQL wrote as JSON is held to it outside
 * production: json-body.ts). Whatever it throws is an AppError carrying the caller's
 * rate-limit headers, so a refused request tells the caller what it has left, like an accepted one.
 */
export async function execute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
  principal: Principal,
  input: RawInput | (() => Promise<RawInput>) = {},
): Promise<Executed<z.output<R>>> {
  const headers = await rateLimit(principal);
  try {
    if (operation.permission) requirePermission(principal, operation.permission);
    const raw = typeof input === "function" ? await input() : input;
    const params = operation.params ? operation.params.safeParse(raw.params ?? {}) : { success: true as const, data: {} };
    if (!params.success) throw notFound();
    const query = parseQuery(operation.query, raw.query);
    const body = operation.body ? parseBody(operation.body, raw.body) : undefined;

    const work = async (): Promise<z.output<R> | JsonBody<z.output<R>>> => {
      const result = await operation.run({
        principal,
        params: params.data as z.output<P>,
        query: query as z.output<Q>,
        body: body as z.output<B>,
      });
      if (!operation.response) return undefined as z.output<R>;
      if (isJsonBody(result)) {
        if (process.env.NODE_ENV !== "production") assertJsonBodyMatches(operation.id, operation.response, result);
        return result as JsonBody<z.output<R>>;
      }
      const shaped = operation.response.safeParse(result);
      // The server broke its own contract: a bug to log and answer as a 500, never the caller's 422.
      if (!shaped.success) throw new Error(`${operation.id} answered outside its response schema: ${shaped.error.message}`);
      return shaped.data as z.output<R>;
    };
    const data = operation.heavy ? await heavyReads().run(principal.workspace.id, work) : await work();
    return executed(data, headers);
  } catch (error) {
    const appError = toAppError(error);
    appError.details.headers = { ...headers, ...appError.details.headers };
    throw appError;
  }
}

import { randomUUID } from "node:crypto";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { z } from "zod";
import { authenticateApiKey, API_KEY_ERRORS, bearerToken } from "@/server/auth/api-key-door";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { getSessionUser } from "@/server/auth/session";
import { config } from "@/server/config";
import { AppError, notFound } from "@/server/http/errors";
import { problemResponse } from "@/server/http/problem";
import { createLimiter, rateLimited } from "@/server/http/rate-limit";
import { MAX_JSON_BYTES, readJson } from "@/server/http/read-json";
import { assertSameOrigin } from "@/server/http/same-origin";
import { fieldErrorsOf, toAppError } from "@/server/http/to-app-error";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import type { Operation } from "./operation";

/** The query parameter a signed-in browser uses to name the workspace; never part of an operation's query. */
export const SESSION_WORKSPACE_PARAM = "workspace";

const KEY_LIKE = /hey_[0-9A-Za-z]{8,}/;
const KEY_PARAM_NAMES = new Set(["api_key", "apikey", "key", "token", "access_token", "authorization", "bearer"]);

/** Keys in URLs end up in logs, proxies and browser history: refuse them outright. */
function refuseKeyInQuery(url: URL): void {
  for (const [name, value] of url.searchParams) {
    if (KEY_PARAM_NAMES.has(name.toLowerCase()) || KEY_LIKE.test(value) || KEY_LIKE.test(name)) {
      throw new AppError(
        "api_key_in_query",
        "API keys are not accepted in the URL, where they end up in logs and browser history. Send the header `Authorization: Bearer hey_…` instead, and consider rotating a key you sent this way.",
      );
    }
  }
}

/** Both doors: a Bearer key, or a signed-in browser naming the workspace with ?workspace=<slug>. */
async function principalOf(request: Request, url: URL): Promise<Principal> {
  const token = bearerToken(request.headers.get("authorization"));
  if (token !== null) return authenticateApiKey(token);
  const session = request.headers.has("cookie") ? await getSessionUser() : null;
  if (!session) throw API_KEY_ERRORS.missing();
  if (!["GET", "HEAD"].includes(request.method)) assertSameOrigin(request);
  const slug = url.searchParams.get(SESSION_WORKSPACE_PARAM);
  if (!slug) {
    throw new AppError("bad_request", `Add ?${SESSION_WORKSPACE_PARAM}=<slug> to call the API with a browser session, or send an API key.`);
  }
  return sessionPrincipalOrThrow(session, slug);
}

let limiter: RateLimiterAbstract | undefined;

function rateLimitHeaders(res: RateLimiterRes): Record<string, string> {
  const { API_RATE_LIMIT, API_RATE_LIMIT_WINDOW_SECONDS } = config();
  const reset = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
  return {
    // draft-ietf-httpapi-ratelimit-headers: the policy, and what is left of it.
    "ratelimit-policy": `"default";q=${API_RATE_LIMIT};w=${API_RATE_LIMIT_WINDOW_SECONDS}`,
    ratelimit: `"default";r=${res.remainingPoints};t=${reset}`,
  };
}

/** One counter per key, or per signed-in user, shared by every instance. */
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

function searchParamsObject(url: URL): Record<string, string> {
  // No prototype: a parameter named "__proto__" is just an unknown parameter.
  const query = Object.create(null) as Record<string, string>;
  for (const [name, value] of url.searchParams) {
    if (name === SESSION_WORKSPACE_PARAM) continue;
    if (Object.hasOwn(query, name)) {
      throw new AppError("unprocessable_entity", `The query parameter "${name}" is repeated.`, { fieldErrors: { [name]: ["Send it once."] } });
    }
    query[name] = value;
  }
  return query;
}

function parseQuery<T>(schema: z.ZodType<T> | undefined, query: Record<string, string>): T {
  if (!schema) {
    const unknown = Object.keys(query);
    if (unknown.length) {
      throw new AppError("unprocessable_entity", "This endpoint takes no query parameters.", {
        fieldErrors: Object.fromEntries(unknown.map((name) => [name, ["Unknown query parameter."]])),
      });
    }
    return {} as T;
  }
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw new AppError("unprocessable_entity", "The query has invalid parameters.", { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

export interface HandlerContext<P, Q, B> {
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  request: Request;
  requestId: string;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * The one wrapper of /api/v1 route handlers: refuses keys in URLs, authenticates (key or session), rate
 * limits, checks the operation's permission, validates params, query and body, calls the handler and shapes
 * the answer with the operation's response schema. Every error becomes problem+json.
 */
export function handle<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
  handler: (context: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.input<R> | void>,
) {
  return async (request: Request, routeContext: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const url = new URL(request.url);
      refuseKeyInQuery(url);
      const principal = await principalOf(request, url);
      const limitHeaders = operation.public ? {} : await rateLimit(principal);
      if (operation.permission) requirePermission(principal, operation.permission);

      const rawParams = await routeContext.params;
      const params = operation.params ? operation.params.safeParse(rawParams) : { success: true as const, data: {} };
      // An id that cannot exist is answered like one that does not: 404.
      if (!params.success) throw notFound();
      const query = parseQuery(operation.query, searchParamsObject(url));
      const body = operation.body ? operation.body.parse(await readJson(request, operation.maxBodyBytes ?? MAX_JSON_BYTES)) : undefined;

      const result = await handler({
        principal,
        params: params.data as z.output<P>,
        query: query as z.output<Q>,
        body: body as z.output<B>,
        request,
        requestId,
      });
      const headers = { "cache-control": "no-store", "x-request-id": requestId, ...limitHeaders };
      if (operation.status === 204 || !operation.response) return new Response(null, { status: 204, headers });
      return Response.json(operation.response.parse(result), { status: operation.status, headers });
    } catch (error) {
      try {
        return problemResponse(toAppError(error), requestId);
      } catch {
        // The translator itself must never turn a bad request into Next's HTML 500.
        return problemResponse(new AppError("internal_error", "Something went wrong on our side."), requestId);
      }
    }
  };
}

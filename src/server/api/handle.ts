import "server-only";
import { randomUUID } from "node:crypto";
import { authenticateApiKey, API_KEY_ERRORS, bearerToken } from "@/server/auth/api-key-door";
import { countFailedAuthentication, refuseBlockedAddress } from "@/server/auth/failed-authentication";
import type { Principal } from "@/server/auth/principal";
import { recordKeyUse } from "@/server/auth/last-used";
import { getSessionUser } from "@/server/auth/session";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import { clientIp } from "@/server/http/client-ip";
import { keyWarningHeaders } from "@/server/http/key-warning";
import { withRequestClient } from "@/server/http/request-context";
import { AppError } from "@/server/http/errors";
import { problemResponse } from "@/server/http/problem";
import { MAX_JSON_BYTES, readJson } from "@/server/http/read-json";
import { assertSameOrigin } from "@/server/http/same-origin";
import { toAppError } from "@/server/http/to-app-error";
import { now as clockNow } from "@/server/clock";
import { execute } from "./execute";
import type { ApiOperation } from "./operation";

/** The query parameter a signed-in browser uses to name the workspace; never part of an operation's query. */
export const SESSION_WORKSPACE_PARAM = "workspace";

const KEY_LIKE = /hey_[0-9A-Za-z]{8,}/;
const KEY_PARAM_NAMES = new Set(["api_key", "apikey", "key", "token", "access_token", "authorization", "bearer"]);
const UNAUTHENTICATED = new Set([
  "unauthorized",
  "missing_api_key",
  "malformed_api_key",
  "invalid_api_key",
  "expired_api_key",
  "leaked_api_key",
]);

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
async function doorPrincipal(request: Request, url: URL): Promise<Principal> {
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

/** Who is calling; a failed authentication counts against the client's address (and may become a 429). */
async function principalOf(request: Request, url: URL, ip: string): Promise<Principal> {
  refuseBlockedAddress(ip);
  try {
    return await doorPrincipal(request, url);
  } catch (error) {
    if (error instanceof AppError && UNAUTHENTICATED.has(error.code)) await countFailedAuthentication(ip);
    throw error;
  }
}

function searchParamsObject(url: URL): Record<string, string> {
  // No prototype: a parameter named "__proto__" is just an unknown parameter.
  const query = Object.create(null) as Record<string, string>;
  for (const [name, value] of url.searchParams) {
    if (name === SESSION_WORKSPACE_PARAM) continue;
    if (Object.hasOwn(query, name)) {
      throw new AppError("unprocessable_entity", `The query parameter "${name}" is repeated.`, {
        fieldErrors: { [name]: ["Send it once."] },
      });
    }
    query[name] = value;
  }
  return query;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * The /api/v1 door of an operation: refuses keys in URLs, finds the principal (key or session), and hands
 * `execute()` the path parameters, the query and the JSON body, read only once the caller is known to be allowed.
 * The result becomes JSON with the operation's status; any error becomes problem+json.
 */
export function handle(operation: ApiOperation) {
  return async (request: Request, routeContext: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    const client = { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
    let principal: Principal | null = null;
    try {
      const url = new URL(request.url);
      refuseKeyInQuery(url);
      // The whole request, both the door and the operation, knows its client (audit log, key allowlists).
      const { caller, executed } = await withRequestClient(client, async () => {
        const caller = (principal = await principalOf(request, url, client.ip));
        const executed = await execute(operation, caller, async () => ({
          params: await routeContext.params,
          query: searchParamsObject(url),
          body: operation.body ? await readJson(request, operation.maxBodyBytes ?? MAX_JSON_BYTES) : undefined,
        }));
        return { caller, executed };
      });
      const responseHeaders = {
        "cache-control": "no-store",
        "x-request-id": requestId,
        ...executed.headers,
        ...keyWarningHeaders(caller, clockNow()),
      };
      if (operation.status === 204 || !operation.response) return used(new Response(null, { status: 204, headers: responseHeaders }), null);
      // JSON that PostgreSQL wrote is sent as it is (json-body.ts); anything else is written here.
      const body = executed.json ?? JSON.stringify(executed.data);
      return used(
        new Response(body, { status: operation.status, headers: { "content-type": "application/json", ...responseHeaders } }),
        null,
      );
    } catch (error) {
      const warning = principal ? keyWarningHeaders(principal, clockNow()) : {};
      let problem = new AppError("internal_error", "Something went wrong on our side.");
      let response: Response;
      try {
        problem = toAppError(error);
        response = problemResponse(problem, requestId, warning);
      } catch {
        // The translator itself must never turn a bad request into Next's HTML 500.
        response = problemResponse(problem, requestId, warning);
      }
      return used(response, problem);
    }

    /** Counts the answer in the key's usage (a session's requests are not a key's). */
    function used(response: Response, problem: AppError | null): Response {
      const key = principal?.apiKey;
      if (key) {
        const lacked = operation.permission !== null && !principal!.permissions.has(operation.permission);
        const refused = problem !== null && (problem.code === "rate_limited" || (problem.code === "forbidden" && lacked));
        recordKeyUse(key.id, clockNow(), { operation: operation.id, status: response.status, refused, client });
      }
      return response;
    }
  };
}

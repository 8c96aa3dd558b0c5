import { randomUUID } from "node:crypto";
import { z } from "zod";
import { authenticateApiKey, API_KEY_ERRORS, bearerToken } from "@/server/api-keys/authenticate-api-key";
import type { Permission } from "@/server/auth/permissions";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { getSessionUser } from "@/server/auth/session";
import { sessionPrincipalOrThrow } from "@/server/workspaces/workspace-principal";
import { AppError, notFound } from "./errors";
import { problemResponse } from "./problem";
import { readJson } from "./read-json";
import { assertSameOrigin } from "./same-origin";
import { toAppError } from "./to-app-error";

export interface ApiContext<P> {
  principal: Principal;
  request: Request;
  params: P;
  requestId: string;
  /** The JSON body, parsed and validated by `schema` (413 / 415 / 400 / 422 on the way). */
  body: <T>(schema: z.ZodType<T>) => Promise<T>;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

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
async function apiPrincipal(request: Request, url: URL): Promise<Principal> {
  const token = bearerToken(request.headers.get("authorization"));
  if (token !== null) return authenticateApiKey(token);
  const session = request.headers.has("cookie") ? await getSessionUser() : null;
  if (!session) throw API_KEY_ERRORS.missing();
  if (!["GET", "HEAD"].includes(request.method)) assertSameOrigin(request);
  const slug = url.searchParams.get("workspace");
  if (!slug) {
    throw new AppError("bad_request", "Add ?workspace=<slug> to call the API with a browser session, or send an API key.");
  }
  return sessionPrincipalOrThrow(session, slug);
}

function json(body: unknown, status: number, requestId: string): Response {
  const headers = { "cache-control": "no-store", "x-request-id": requestId };
  return status === 204 ? new Response(null, { status, headers }) : Response.json(body, { status, headers });
}

/**
 * The one wrapper of /api/v1 handlers: authentication, the route's permission, validated params and body,
 * and problem+json for every error. Handlers return `{ status?, body }`.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  options: { permission: Permission | null; params?: z.ZodType<P> },
  handler: (context: ApiContext<P>) => Promise<{ status?: number; body?: unknown }>,
) {
  return async (request: Request, routeContext: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const url = new URL(request.url);
      refuseKeyInQuery(url);
      const principal = await apiPrincipal(request, url);
      if (options.permission) requirePermission(principal, options.permission);
      const params = await parseParams(options.params, await routeContext.params);
      const result = await handler({
        principal,
        request,
        params,
        requestId,
        body: async (schema) => schema.parse(await readJson(request)),
      });
      return json(result.body ?? null, result.status ?? 200, requestId);
    } catch (error) {
      return problemResponse(toAppError(error), requestId);
    }
  };
}

/** An id in the path that cannot exist is answered like one that does not: 404. */
async function parseParams<P>(schema: z.ZodType<P> | undefined, raw: Record<string, string | string[]>): Promise<P> {
  if (!schema) return {} as P;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

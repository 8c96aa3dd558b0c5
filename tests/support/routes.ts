import { readdirSync } from "node:fs";
import path from "node:path";
import { asNextSeesIt, inRequestScope } from "./next-request";
import { recordExchange } from "./secrets";

const APP_DIR = path.resolve(import.meta.dirname, "../../src/app");
const API_DIR = path.join(APP_DIR, "api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;

export interface RouteFile {
  file: string;
  /** OpenAPI style, e.g. /api/v1/campaigns/{id}; null for the catch-all. */
  path: string | null;
  pattern: RegExp;
  catchAll: boolean;
}

function dynamicSegments(route: RouteFile): number {
  return (route.path ?? "").split("{").length - 1;
}

/** Every route.ts under src/app/api/v1, most specific first, as Next.js matches them. */
export function discoverRoutes(): RouteFile[] {
  const files = readdirSync(API_DIR, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith("route.ts"));
  return files
    .map((file) => {
      const segments = path
        .dirname(file)
        .split(path.sep)
        .filter((segment) => segment !== ".");
      const catchAll = segments.some((segment) => segment.startsWith("[..."));
      const regex = segments
        .map((segment) =>
          segment.startsWith("[...")
            ? "(?<path>.+)"
            : segment.startsWith("[")
              ? `(?<${segment.slice(1, -1)}>[^/]+)`
              : segment.replace(/\./g, "\\."),
        )
        .join("/");
      return {
        file: path.join(API_DIR, file),
        path: catchAll ? null : `/api/v1/${segments.map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`.replace(/\/$/, ""),
        pattern: new RegExp(`^/api/v1${regex ? `/${regex}` : ""}$`),
        catchAll,
      };
    })
    .sort((a, b) => Number(a.catchAll) - Number(b.catchAll) || dynamicSegments(a) - dynamicSegments(b));
}

export async function exportedMethods(route: RouteFile): Promise<string[]> {
  const routeModule = (await import(route.file)) as Record<string, unknown>;
  return METHODS.filter((method) => typeof routeModule[method] === "function");
}

/** Every route.ts under src/app (not only /api/v1), with its URL path, e.g. /api/v1/campaigns/{id} or /api/v1/{...path}. */
export function discoverAppRoutes(): { file: string; path: string }[] {
  return readdirSync(APP_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => {
      const segments = path
        .dirname(file)
        .split(path.sep)
        // Route groups, "(auth)", are not part of the URL.
        .filter((segment) => segment !== "." && !/^\(.+\)$/.test(segment))
        .map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}"));
      return { file: path.join(APP_DIR, file), path: `/${segments.join("/")}` };
    });
}

/** A route module's handler for `method`; HEAD falls back to GET without its body, as Next.js does. */
export function handlerOf(routeModule: Record<string, Handler | undefined>, method: string): Handler | undefined {
  const handler = routeModule[method];
  if (handler || method !== "HEAD" || !routeModule.GET) return handler;
  const get = routeModule.GET;
  return async (request, context) => {
    const response = await get(request, context);
    return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The answer of the route that matches `request`, as Next.js would route it, inside the request's scope. */
async function serve(routes: RouteFile[], request: Request): Promise<Response> {
  const url = new URL(request.url);
  for (const route of routes) {
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    const routeModule = (await import(route.file)) as Record<string, Handler | undefined>;
    const handler = handlerOf(routeModule, request.method);
    if (!handler) return new Response(null, { status: 405 });
    const params = Object.fromEntries(
      Object.entries(match.groups ?? {}).map(([name, value]) => [name, name === "path" ? value.split("/") : decodeURIComponent(value)]),
    );
    return inRequestScope(request, () => handler(request, { params: Promise.resolve(params) }));
  }
  return new Response("no route", { status: 404 });
}

/**
 * A fetch that serves /api/v1 from the route modules in this process, as Next.js would: with the headers Next's
 * server adds, and with next/headers answering from the request (tests/support/next-request.ts). Every exchange
 * goes to the secret ledger (tests/support/secrets.ts), so the SDK, `send` and the generated suites are all scanned.
 */
export function inProcessFetch(): typeof fetch {
  const routes = discoverRoutes();
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = asNextSeesIt(input instanceof Request ? input : new Request(input, init));
    const response = await serve(routes, request);
    await recordExchange(request, response);
    return response;
  }) as typeof fetch;
}

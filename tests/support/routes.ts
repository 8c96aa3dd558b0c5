import { readdirSync } from "node:fs";
import path from "node:path";
import { recordExchange } from "./secrets";

const API_DIR = path.resolve(import.meta.dirname, "../../src/app/api/v1");
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
      const segments = path.dirname(file).split(path.sep).filter((segment) => segment !== ".");
      const catchAll = segments.some((segment) => segment.startsWith("[..."));
      const regex = segments
        .map((segment) => (segment.startsWith("[...") ? "(?<path>.+)" : segment.startsWith("[") ? `(?<${segment.slice(1, -1)}>[^/]+)` : segment.replace(/\./g, "\\.")))
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

/** The answer of the route that matches `request`, as Next.js would route it. */
async function serve(routes: RouteFile[], request: Request): Promise<Response> {
  const url = new URL(request.url);
  for (const route of routes) {
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    const routeModule = (await import(route.file)) as Record<string, Handler | undefined>;
    const handler = routeModule[request.method];
    if (!handler) return new Response(null, { status: 405 });
    const params = Object.fromEntries(
      Object.entries(match.groups ?? {}).map(([name, value]) => [name, name === "path" ? value.split("/") : decodeURIComponent(value)]),
    );
    return handler(request, { params: Promise.resolve(params) });
  }
  return new Response("no route", { status: 404 });
}

/**
 * A fetch that serves /api/v1 from the route modules in this process, as Next.js would. Every exchange goes
 * to the secret ledger (tests/support/secrets.ts), so the SDK, `send` and the generated suites are all scanned.
 */
export function inProcessFetch(): typeof fetch {
  const routes = discoverRoutes();
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const response = await serve(routes, request);
    await recordExchange(request, response);
    return response;
  }) as typeof fetch;
}

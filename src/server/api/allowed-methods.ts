import { OPENAPI_DOCUMENT_PATH, PUBLIC_ROUTES, ROUTES } from "./routes";

// The methods each /api/v1 path answers, from the routes tables (operations and public endpoints) (import-free: the proxy loads this). Next.js answers a method a route file does not
// export with an empty 405 and no Allow header; proxy.ts answers it from this table instead, as problem+json.

interface Route {
  pattern: RegExp;
  /** Path parameters: Next.js prefers the route with fewer, so /a/b wins over /a/{id} for "/a/b". */
  parameters: number;
  methods: Set<string>;
}

function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => (/^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

function buildRoutes(): Route[] {
  const byPath = new Map<string, Set<string>>([[OPENAPI_DOCUMENT_PATH, new Set(["GET"])]]);
  for (const { method, path } of [...Object.values(ROUTES), ...Object.values(PUBLIC_ROUTES)]) {
    if (!byPath.has(path)) byPath.set(path, new Set());
    byPath.get(path)!.add(method);
  }
  return [...byPath]
    .map(([path, methods]) => ({ pattern: patternOf(path), parameters: path.split("{").length - 1, methods }))
    .sort((a, b) => a.parameters - b.parameters);
}

let routes: Route[] | undefined;

/**
 * The Allow header's methods for a path of the API (HEAD with GET, OPTIONS always, as Next.js implements
 * them), or null when no route has the path (the catch-all's 404 answers it).
 */
export function allowedMethods(pathname: string): string[] | null {
  routes ??= buildRoutes();
  const route = routes.find((candidate) => candidate.pattern.test(pathname));
  if (!route) return null;
  const methods = new Set(route.methods);
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].sort();
}

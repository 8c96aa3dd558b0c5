// Dot segments in API paths. Next.js parses every request target with the WHATWG URL parser
// (next/dist/server/lib/router-utils/resolve-routes.js, `parseUrl(req.url)`) before routing and before
// proxy.ts runs, and that parser resolves "..", ".", "%2e%2e", ".%2e", "%2e." and "%2e" (any case) as dot
// segments: DELETE /api/v1/campaigns/%2e%2e/tags/{tagId} would reach DELETE /api/v1/tags/{tagId}, and
// /api/v1/campaigns/%2e%2e a 308 to /api/v1. Only the raw target still shows them, so it is checked here.
// Pure: the guard (raw-path-guard.ts) and the tests use it.

/** The path of a request target as sent: origin-form ("/a/b?c") or absolute-form ("http://host/a/b?c"). */
function rawPathOf(target: string): string {
  const withoutQuery = target.split(/[?#]/, 1)[0] ?? "";
  return withoutQuery.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\\]*/, "");
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Not valid percent-encoding: the URL parser leaves it as it is, and so no dot segment hides in it.
    return segment;
  }
}

/** Where the URL parser (and so Next's router) takes the target. */
function normalisedPathOf(path: string): string {
  try {
    return new URL(path.startsWith("/") ? path : `/${path}`, "http://n").pathname;
  } catch {
    return path;
  }
}

/** The path Next.js routes the target to, when the raw target or that path is under /api; else null. */
export function apiPathOf(target: string): string | null {
  const path = rawPathOf(target);
  const normalised = normalisedPathOf(path);
  return path.startsWith("/api/") || path === "/api" || normalised.startsWith("/api/") ? normalised : null;
}

/**
 * True when the raw target is, or would be normalised into, an /api path and one of its segments is a dot
 * segment, raw or percent-encoded, or holds a slash or backslash of its own (raw "\" or "%5c", or "%2f"):
 * Next rewrites a backslash into a slash with a 308, so "..\\" would become ".." at the client's next request.
 * No id, slug or name of the API contains any of these, so such a path can only be refused.
 */
export function isUnsafeApiPath(target: string): boolean {
  const path = rawPathOf(target);
  if (apiPathOf(target) === null) return false;
  return path.split("/").some((raw) => {
    const segment = decoded(raw);
    return segment === "." || segment === ".." || segment.includes("/") || segment.includes("\\");
  });
}

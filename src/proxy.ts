import { NextResponse, type NextRequest } from "next/server";
import { allowedMethods } from "@/server/api/allowed-methods";
import { AppError } from "@/server/http/errors";
import { problemResponse } from "@/server/http/problem";
import { isSameOrigin } from "@/server/http/same-origin";

/**
 * Server Actions are POSTs to pages. Next refuses a cross-site Origin but lets a request without one through;
 * browsers always send Origin on a POST, so a missing one is refused too. (/api routes check for themselves:
 * Bearer requests need no CSRF defence.)
 */
function refusedCrossSite(request: NextRequest): Response | null {
  if (["GET", "HEAD", "OPTIONS"].includes(request.method) || request.nextUrl.pathname.startsWith("/api/")) return null;
  if (isSameOrigin(request.headers)) return null;
  return problemResponse(new AppError("forbidden", "Cross-site request refused."));
}

/**
 * A method an /api/v1 route does not answer. Next.js would send an empty 405 without the Allow header that
 * RFC 9110 requires; this is the API's problem+json, before any authentication (the method is wrong for
 * every caller). Dot segments never get here: raw-path-guard.ts refuses them before Next parses the URL.
 */
function methodNotAllowed(request: NextRequest): Response | null {
  const { pathname } = request.nextUrl;
  if (!pathname.startsWith("/api/v1/")) return null;
  const allowed = allowedMethods(pathname);
  if (!allowed || allowed.includes(request.method)) return null;
  const allow = allowed.join(", ");
  return problemResponse(new AppError("method_not_allowed", `This path does not answer ${request.method}. Use ${allow}.`), undefined, {
    allow,
  });
}

/**
 * Security headers on every page and API answer. Scripts run only with this request's nonce (Next.js adds it
 * to its own scripts when it finds the policy on the request); no inline script can run, no site can frame us.
 */
export function proxy(request: NextRequest) {
  const refused = methodNotAllowed(request) ?? refusedCrossSite(request);
  if (refused) return refused;
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV !== "production";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Where a signed-out visitor was going, for the sign-in page's way back (src/server/auth/page-principal.ts).
  requestHeaders.set("x-heyoo-path", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });

  response.headers.set("content-security-policy", policy);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=()");
  if (!dev) response.headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  // Pages behind sign-in (settings, keys being revealed) must never be stored by a browser or a proxy.
  const { pathname } = request.nextUrl;
  if (!pathname.startsWith("/docs") && !pathname.startsWith("/api/")) response.headers.set("cache-control", "no-store");
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|icon.svg).*)" }],
};

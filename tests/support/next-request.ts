import { AsyncLocalStorage } from "node:async_hooks";
import { RequestCookies, ResponseCookies } from "next/dist/server/web/spec-extension/cookies";

// Route handlers run in this process without Next's server, so `next/headers` has no request of its own and
// `auth()` would find no cookie. The in-process fetch runs each handler inside `inRequestScope`, and
// tests/integration/setup.ts replaces next/headers with `nextHeadersModule`, which answers `headers()` and
// `cookies()` from that request, as Next does for a route handler. So the session door runs its real code:
// Auth.js decrypts the cookie, getSessionUser checks the Session row.

interface Scope {
  request: Request;
  /** What handlers set with cookies().set(), sent back as Set-Cookie. */
  responseCookies: ResponseCookies;
}

const scope = new AsyncLocalStorage<Scope>();

/** The headers Next's server adds to every request before a handler sees it (base-server: x-forwarded-*). */
export function asNextSeesIt(request: Request): Request {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  if (!headers.has("host")) headers.set("host", url.host);
  if (!headers.has("x-forwarded-host")) headers.set("x-forwarded-host", headers.get("host")!);
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  return new Request(request, { headers });
}

/** Runs a route handler with `request` as the current request of next/headers; its cookies become Set-Cookie. */
export async function inRequestScope(request: Request, handler: (request: Request) => Promise<Response> | Response): Promise<Response> {
  const cookieHeaders = new Headers();
  const response = await scope.run({ request, responseCookies: new ResponseCookies(cookieHeaders) }, () => handler(request));
  const setCookies = cookieHeaders.getSetCookie();
  if (!setCookies.length) return response;
  const headers = new Headers(response.headers);
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function current(): Scope {
  const state = scope.getStore();
  // Next throws too: there is no request to read outside one.
  if (!state) throw new Error("next/headers was used outside a request (tests/support/next-request.ts: use the in-process fetch).");
  return state;
}

/** Reads the request's cookies; writes go to the response, as in a Next route handler. */
function cookieStore() {
  const { request, responseCookies } = current();
  const requestCookies = new RequestCookies(request.headers);
  return {
    get: (name: string) => requestCookies.get(name),
    getAll: () => requestCookies.getAll(),
    has: (name: string) => requestCookies.has(name),
    set: (...args: Parameters<ResponseCookies["set"]>) => {
      responseCookies.set(...args);
      return cookieStore();
    },
    delete: (name: string) => {
      responseCookies.delete(name);
      return cookieStore();
    },
  };
}

/** Stands in for the module "next/headers" in integration tests. */
export const nextHeadersModule = {
  headers: async () => current().request.headers,
  cookies: async () => cookieStore(),
};

import { AppError } from "./errors";

/** True when the request's Origin names this host. A missing or malformed Origin is not same-origin. */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Cookie-authenticated route handlers must refuse cross-site requests themselves (Next checks Origin only for
 * Server Actions). A missing Origin is refused too: browsers send it on every POST.
 */
export function assertSameOrigin(request: Request): void {
  if (!isSameOrigin(request.headers)) throw new AppError("forbidden", "Cross-site request refused.");
}

import { AppError } from "./errors";

/**
 * Cookie-authenticated route handlers must refuse cross-site requests themselves (Next checks Origin only for
 * Server Actions). A missing Origin is refused too: browsers send it on every POST.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string | undefined;
  try {
    originHost = origin ? new URL(origin).host : undefined;
  } catch {
    originHost = undefined;
  }
  if (!originHost || !host || originHost !== host) {
    throw new AppError("forbidden", "Cross-site request refused.");
  }
}

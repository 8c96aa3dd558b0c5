import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { Principal } from "@/server/auth/principal";
import { requireSessionUser } from "@/server/auth/session";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import type { ErrorCode, FieldErrors } from "./errors";
import { toAppError } from "./to-app-error";

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; requiredPermission?: string };

/**
 * Runs a Server Action body and turns a thrown AppError into a result the form can show. Redirects and
 * notFound() pass through. Every Server Action is a public endpoint: the body authorises itself.
 */
export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    unstable_rethrow(error);
    const appError = toAppError(error);
    return {
      ok: false,
      code: appError.code,
      message: appError.message,
      fieldErrors: appError.details.fieldErrors,
      requiredPermission: appError.details.requiredPermission,
    };
  }
}

/** runAction for actions inside a workspace: the session's principal there, or a 401/404 result. */
export function workspaceAction<T>(slug: string, body: (principal: Principal) => Promise<T>): Promise<ActionResult<T>> {
  return runAction(async () => body(await sessionPrincipalOrThrow(await requireSessionUser(), String(slug))));
}

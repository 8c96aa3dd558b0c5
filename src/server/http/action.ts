import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { execute, type RawInput } from "@/server/api/execute";
import type { Operation } from "@/server/api/operation";
import { requireSessionUser } from "@/server/auth/session";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import { clientIp } from "./client-ip";
import type { ErrorCode, FieldErrors } from "./errors";
import { withRequestClient } from "./request-context";
import { toAppError } from "./to-app-error";

export type ActionResult<T = undefined> =
  { ok: true; data: T } | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; requiredPermission?: string };

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
    const { fieldErrors, requiredPermission } = appError.details;
    return {
      ok: false,
      code: appError.code,
      message: appError.message,
      // React sends only plain objects to the browser. Object.fromEntries defines each field as an own
      // property, so a field named "__proto__" stays a field and cannot reach the prototype.
      ...(fieldErrors ? { fieldErrors: Object.fromEntries(Object.entries(fieldErrors)) } : {}),
      ...(requiredPermission ? { requiredPermission } : {}),
    };
  }
}

/**
 * A field of a form's submission. A Server Action's arguments come from the client, which can send anything in
 * place of the FormData: then every field is missing, and the schema says so field by field.
 */
export function formField(form: unknown, name: string): FormDataEntryValue | undefined {
  return form instanceof FormData ? (form.get(name) ?? undefined) : undefined;
}

/**
 * The browser door of an operation: the signed-in user's principal in the workspace `slug` (or a 401/404
 * result), then `execute()` with the input the form sent — the same shape the API takes — and the outcome as a
 * result the form can show. Server Actions take anything from anyone: `input` is parsed by the operation.
 */
export function workspaceAction<R extends z.ZodType>(
  slug: unknown,
  operation: Operation<z.ZodType, z.ZodType, z.ZodType, R>,
  input: RawInput,
): Promise<ActionResult<z.output<R>>> {
  return runAction(async () => {
    const principal = await sessionPrincipalOrThrow(await requireSessionUser(), String(slug));
    return withActionClient(async () => (await execute(operation, principal, input)).data);
  });
}

/** Runs `fn` with the Server Action's client (address and user agent) known to what it calls: the audit log. */
export async function withActionClient<T>(fn: () => Promise<T>): Promise<T> {
  const requestHeaders = await headers();
  return withRequestClient({ ip: clientIp(requestHeaders), userAgent: requestHeaders.get("user-agent") }, fn);
}

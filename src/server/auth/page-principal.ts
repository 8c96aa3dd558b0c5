import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { z } from "zod";
import { execute, type RawInput } from "@/server/api/execute";
import type { Operation } from "@/server/api/operation";
import { AppError, type FieldErrors } from "@/server/http/errors";
import type { Principal } from "./principal";
import { getSessionUser } from "./session";
import { sessionPrincipalOrThrow } from "./session-door";

/**
 * The principal for a page under /[workspace], once per request whoever asks (layout and page alike):
 * signed out → the sign-in page, coming back here afterwards; not a member → 404.
 */
export const pagePrincipal = cache(async (slug: string): Promise<Principal> => {
  const session = await getSessionUser();
  if (!session) {
    // proxy.ts passes the path on, so the sign-in page can bring the person back where they were.
    const path = (await headers()).get("x-heyoo-path") ?? `/${slug}`;
    redirect(`/sign-in?next=${encodeURIComponent(path.startsWith("/") ? path : `/${slug}`)}`);
  }
  try {
    return await sessionPrincipalOrThrow(session, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
});

/**
 * A page's read through the operation seam, with the same permission and shapes as the API. Search params
 * of a hand-edited or stale URL that the operation refuses (an old cursor, a sort that does not exist) are
 * dropped, and the read is made once more without them; `query` is what was used, for the page's controls, and
 * `errors` why the others were dropped, for a filter form that shows them under the values typed.
 */
export async function readListForPage<R extends z.ZodType, K extends string>(
  operation: Operation<z.ZodType, z.ZodType, z.ZodType, R>,
  principal: Principal,
  query: Partial<Record<K, string>>,
): Promise<{ data: z.output<R>; query: Partial<Record<K, string>>; errors: FieldErrors }> {
  try {
    return { data: (await execute(operation, principal, { query })).data, query, errors: {} };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "unprocessable_entity") throw error;
    const errors = error.details.fieldErrors ?? {};
    const refused = new Set(Object.keys(errors));
    const kept = Object.fromEntries(Object.entries(query).filter(([name]) => !refused.has(name))) as Partial<Record<K, string>>;
    return { data: (await execute(operation, principal, { query: kept })).data, query: kept, errors };
  }
}

/** A page's read of one thing through the operation seam; not found (or another workspace's) is the 404 page. */
export async function readForPage<R extends z.ZodType>(
  operation: Operation<z.ZodType, z.ZodType, z.ZodType, R>,
  principal: Principal,
  input: RawInput = {},
): Promise<z.output<R>> {
  try {
    return (await execute(operation, principal, input)).data;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

/**
 * A read for one part of a page, beside what the page is about (the campaign figures on the home and campaigns
 * pages). When it is refused for a rate limit (most often because the workspace's heavy reads are over their
 * share of the server, docs/decisions/016-heavy-reads-fair-share.md), or its statement took longer than
 * analytics may (a 503), the page still renders and that part says why it is missing, instead of the whole page
 * failing.
 */
export async function readPartForPage<R extends z.ZodType>(
  operation: Operation<z.ZodType, z.ZodType, z.ZodType, R>,
  principal: Principal,
  input: RawInput = {},
): Promise<{ data: z.output<R>; unavailable: null } | { data: null; unavailable: string }> {
  try {
    return { data: (await execute(operation, principal, input)).data, unavailable: null };
  } catch (error) {
    if (error instanceof AppError && (error.code === "rate_limited" || error.code === "service_unavailable")) {
      return { data: null, unavailable: error.message };
    }
    throw error;
  }
}

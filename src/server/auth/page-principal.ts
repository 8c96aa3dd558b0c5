import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { AppError } from "@/server/http/errors";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import type { Principal } from "./principal";
import { getSessionUser } from "./session";

/** The principal for a page under /[workspace]: signed out → sign-in page; not a member → 404. */
export const pagePrincipal = cache(async (slug: string, path = `/${slug}`): Promise<Principal> => {
  const session = await getSessionUser();
  if (!session) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  try {
    return await sessionPrincipalOrThrow(session, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
});

import "server-only";
import { cache } from "react";
import { db } from "@/server/db";
import { AppError } from "@/server/http/errors";
import { auth, signIn, signOut, SignInRefused } from "./auth-js";

export interface SessionUser {
  sessionId: string;
  user: { id: string; name: string; email: string; isMachine: boolean };
}

/**
 * The signed-in user of this request, or null. The cookie alone is not enough: its session row must still
 * exist, so signing out (or removing the user) ends it on the server at once.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await auth()) as { sessionId?: string } | null;
  if (!session?.sessionId) return null;
  const row = await db.session.findUnique({
    where: { id: session.sessionId },
    select: { expiresAt: true, user: { select: { id: true, name: true, email: true, isMachine: true } } },
  });
  if (!row || row.expiresAt <= new Date() || row.user.isMachine) return null;
  return { sessionId: session.sessionId, user: row.user };
});

export async function requireSessionUser(): Promise<SessionUser> {
  const current = await getSessionUser();
  if (!current) throw new AppError("unauthorized", "Sign in to continue.");
  return current;
}

/** Verifies the password and sets the session cookie on the current response. */
export async function signInWithPassword(email: string, password: string): Promise<void> {
  try {
    await signIn("credentials", { email, password, redirect: false });
  } catch (error) {
    if (error instanceof SignInRefused) throw error.appError;
    throw error;
  }
}

/** Deletes the session row (so a replayed cookie is refused) and clears the cookie. */
export async function endSession(): Promise<void> {
  const current = await getSessionUser();
  if (current) await db.session.deleteMany({ where: { id: current.sessionId } });
  await signOut({ redirect: false });
}

import "server-only";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { verifyPassword } from "@/server/auth/password";
import { AppError } from "@/server/http/errors";
import { consumeOrThrow, createLimiter } from "@/server/http/rate-limit";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { signInSchema } from "./schemas";

let limiters: { account: RateLimiterAbstract; ip: RateLimiterAbstract } | undefined;

function signInLimiters() {
  const { SIGN_IN_MAX_FAILURES_PER_ACCOUNT, SIGN_IN_MAX_FAILURES_PER_IP, SIGN_IN_WINDOW_SECONDS } = config();
  limiters ??= {
    account: createLimiter("sign-in:account", SIGN_IN_MAX_FAILURES_PER_ACCOUNT, SIGN_IN_WINDOW_SECONDS),
    ip: createLimiter("sign-in:ip", SIGN_IN_MAX_FAILURES_PER_IP, SIGN_IN_WINDOW_SECONDS),
  };
  return limiters;
}

export const INVALID_CREDENTIALS_MESSAGE = "Incorrect email or password.";

/**
 * Checks an email and password, counting failures per account and per client address so that passwords
 * cannot be guessed. The message is the same whether or not the email exists. Returns a new session id.
 */
export async function authenticateWithPassword(rawInput: unknown, ip: string): Promise<{ userId: string; sessionId: string }> {
  const parsed = signInSchema.safeParse(rawInput);
  if (!parsed.success) throw new AppError("unauthorized", INVALID_CREDENTIALS_MESSAGE);
  const { email, password } = parsed.data;
  const { account, ip: perIp } = signInLimiters();

  // Count the attempt before checking the password, atomically, so parallel guesses cannot slip past the limit;
  // a successful sign-in gives the points back.
  await consumeOrThrow(account, email, "Too many failed sign-in attempts.");
  await consumeOrThrow(perIp, ip, "Too many failed sign-in attempts.");

  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const ok = await verifyPassword(user?.isMachine ? null : user?.passwordHash, password);
  if (!user?.passwordHash || !ok) throw new AppError("unauthorized", INVALID_CREDENTIALS_MESSAGE);

  await Promise.all([account.delete(email), perIp.reward(ip, 1)]);
  const sessionId = await createSessionForPassword(user.id, user.passwordHash);
  if (!sessionId) throw new AppError("unauthorized", INVALID_CREDENTIALS_MESSAGE);
  return { userId: user.id, sessionId };
}

/**
 * Creates a session, unless the password checked a moment ago is no longer the account's (changed or the
 * account deleted meanwhile). The user row is locked, as a password change locks it, so a sign-in with the
 * old password cannot leave a session behind that outlives the change.
 */
async function createSessionForPassword(userId: string, verifiedHash: string): Promise<string | null> {
  const expiresAt = new Date(Date.now() + config().SESSION_MAX_AGE_DAYS * 86_400_000);
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ passwordHash: string | null }[]>`
      SELECT "passwordHash" FROM "User" WHERE id = ${userId} FOR UPDATE`;
    if (current?.passwordHash !== verifiedHash) return null;
    const session = await tx.session.create({ data: { userId, expiresAt }, select: { id: true } });
    return session.id;
  });
}

/**
 * Re-checks the signed-in user's password before a sensitive change (new password, deleting the account).
 * Failures count against the same per-account limit as sign-in, so a borrowed session cannot guess it.
 */
export async function confirmPassword(userId: string, password: string, field: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user?.passwordHash) throw new AppError("unauthorized", "Sign in to continue.");
  const { account } = signInLimiters();
  await consumeOrThrow(account, user.email, "Too many incorrect passwords.");
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError("unprocessable_entity", "The password is incorrect.", { fieldErrors: { [field]: ["The password is incorrect."] } });
  }
  await account.delete(user.email);
  return user.passwordHash;
}

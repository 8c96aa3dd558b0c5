import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authenticateWithPassword } from "@/server/accounts/authenticate";
import { config } from "@/server/config";
import { AppError } from "@/server/http/errors";
import { clientIp } from "@/server/http/client-ip";

// Everything Auth.js-specific lives here, so the rest of the code only sees getSessionUser(), signInWithPassword()
// and endSession() from ./session.ts.

/** Carries our AppError (wrong password, rate limited) through Auth.js, which only rethrows its own errors. */
export class SignInRefused extends CredentialsSignin {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.code = appError.code;
  }
}

export const { auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: config().SESSION_MAX_AGE_DAYS * 86_400 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        try {
          const { userId, sessionId } = await authenticateWithPassword(
            { email: credentials.email, password: credentials.password },
            clientIp(request.headers),
          );
          return { id: userId, sessionId };
        } catch (error) {
          if (error instanceof AppError) throw new SignInRefused(error);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sid = (user as { sessionId?: string }).sessionId;
      return token;
    },
    session({ session, token }) {
      return Object.assign(session, { sessionId: typeof token.sid === "string" ? token.sid : undefined });
    },
  },
  logger: {
    // A refused sign-in is an expected outcome, not a server error worth a stack trace in the log.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
    warn() {},
  },
});

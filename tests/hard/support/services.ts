// The app's services in the test process, on the same database as the servers under test. The app's db
// module reads DATABASE_URL when it is first imported, so everything is imported dynamically after it is set.

export async function loadServices(databaseUrl: string) {
  const known = (globalThis as { heyooDb?: unknown }).heyooDb;
  if (known) throw new Error("The app's db client was already created in this process, maybe on another database.");
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATABASE_POOL_MAX ??= "10";
  process.env.EMBEDDED_DATABASE = "0";
  process.env.AUTH_SECRET ??= "hard-tests-secret-hard-tests-secret-hard";
  // The test process's own calls are not what these tests limit.
  process.env.API_RATE_LIMIT = "1000000";
  const [factories, api, people, seam, dbModule, errors, authenticate, jwt] = await Promise.all([
    import("../../support/factories"),
    import("../../support/api"),
    import("@/server/people/operations"),
    import("@/server/api/execute"),
    import("@/server/db"),
    import("@/server/http/errors"),
    import("@/server/accounts/authenticate"),
    import("next-auth/jwt"),
  ]);
  type Actor = Parameters<typeof seam.execute>[1];
  return {
    ...factories,
    mintKey: api.mintKey,
    // Through the seam both doors use, so the permission is checked as a browser's request would be.
    changeRole: (actor: Actor, membershipId: string, role: string) =>
      seam.execute(people.changeRoleOperation, actor, { body: { membershipId, role } }),
    removeMember: (actor: Actor, membershipId: string) => seam.execute(people.removeMemberOperation, actor, { body: { membershipId } }),
    db: dbModule.db,
    AppError: errors.AppError,
    /**
     * A browser's session cookie for `user` (on http), as the sign-in leaves it: the Session row from the real
     * password check, the token encrypted with AUTH_SECRET and the cookie's name as salt, as Auth.js does.
     */
    async sessionCookie(user: { email: string }): Promise<string> {
      const { userId, sessionId } = await authenticate.authenticateWithPassword(
        { email: user.email, password: factories.PASSWORD },
        "127.0.0.1",
      );
      const name = "authjs.session-token";
      const token = await jwt.encode({
        token: { sub: userId, sid: sessionId },
        secret: process.env.AUTH_SECRET!,
        salt: name,
        maxAge: 86_400,
      });
      return `${name}=${token}`;
    },
    async close() {
      await dbModule.db.$disconnect();
      delete (globalThis as { heyooDb?: unknown }).heyooDb;
      delete (globalThis as { heyooPlainDb?: unknown }).heyooPlainDb;
    },
  };
}

export type Services = Awaited<ReturnType<typeof loadServices>>;

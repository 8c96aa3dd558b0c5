// The app's services in the test process, on the same database as the servers under test. The app's db
// module reads DATABASE_URL when it is first imported, so everything is imported dynamically after it is set.

export async function loadServices(databaseUrl: string) {
  const known = (globalThis as { heyooDb?: unknown }).heyooDb;
  if (known) throw new Error("The app's db client was already created in this process, maybe on another database.");
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATABASE_POOL_MAX ??= "10";
  process.env.EMBEDDED_DATABASE = "0";
  process.env.AUTH_SECRET ??= "hard-tests-secret-hard-tests-secret-hard";
  const [factories, api, people, dbModule, errors] = await Promise.all([
    import("../../support/factories"),
    import("../../support/api"),
    import("@/server/people/manage-members"),
    import("@/server/db"),
    import("@/server/http/errors"),
  ]);
  return {
    ...factories,
    mintKey: api.mintKey,
    changeRole: people.changeRole,
    removeMember: people.removeMember,
    db: dbModule.db,
    AppError: errors.AppError,
    async close() {
      await dbModule.db.$disconnect();
      delete (globalThis as { heyooDb?: unknown }).heyooDb;
      delete (globalThis as { heyooPlainDb?: unknown }).heyooPlainDb;
    },
  };
}

export type Services = Awaited<ReturnType<typeof loadServices>>;

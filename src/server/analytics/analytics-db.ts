import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { config } from "@/server/config";
import { db, type Db } from "@/server/db";
import { poolOptions } from "@/server/db-pool";
import { onClose } from "@/server/shutdown";

// Analytics reads run on a pool of their own (docs/decisions/009-analytics-rollups.md): at most
// ANALYTICS_POOL_MAX connections, each with a server-side statement_timeout of ANALYTICS_STATEMENT_TIMEOUT_MS.
// However many analytics requests arrive, they queue for these connections and never take one of the main
// pool's, so every other request (and every other workspace) keeps its connections; and a read that would run
// long is cancelled by PostgreSQL itself, which frees the backend at once.
function createAnalyticsClient(): Db {
  const { ANALYTICS_POOL_MAX, ANALYTICS_STATEMENT_TIMEOUT_MS, EMBEDDED_DATABASE } = config();
  // The embedded PGlite is a single backend that serves one connection (docs/offline-tooling.md): share the one.
  if (EMBEDDED_DATABASE) return db;
  const adapter = new PrismaPg({
    ...poolOptions(ANALYTICS_POOL_MAX),
    // JIT compiles a plan whose estimated cost is high; the plan's slot series look costly to the planner but
    // are small, and compiling them took seconds (measured) where running them takes milliseconds.
    options: `-c statement_timeout=${ANALYTICS_STATEMENT_TIMEOUT_MS} -c jit=off`,
  });
  return new PrismaClient({ adapter }) as unknown as Db;
}

const globalForDb = globalThis as unknown as { heyooAnalyticsDb?: Db; heyooAnalyticsDbCloses?: boolean };

export const analyticsDb: Db = (globalForDb.heyooAnalyticsDb ??= createAnalyticsClient());
if (!globalForDb.heyooAnalyticsDbCloses) {
  globalForDb.heyooAnalyticsDbCloses = true;
  onClose(() => analyticsDb.$disconnect());
}

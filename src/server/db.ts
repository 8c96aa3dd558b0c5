import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { config } from "./config";

// The one Prisma client. Secrets are omitted from every query result unless a query asks for them by name.
function createClient() {
  const { DATABASE_URL, DATABASE_POOL_MAX } = config();
  const adapter = new PrismaPg({
    connectionString: DATABASE_URL,
    max: DATABASE_POOL_MAX,
    // Fail fast when the database is unreachable instead of hanging the request.
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, apiKey: { hashedKey: true }, invite: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// One client per process, also across Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { heyooDb?: Db };

export const db: Db = (globalForDb.heyooDb ??= createClient());

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { config } from "./config";
import { createPool } from "./db-pool";

// The one Prisma client. Secrets are omitted from every query result unless a query asks for them by name.
function createClient() {
  const adapter = new PrismaPg(createPool(config().DATABASE_POOL_MAX), { disposeExternalPool: true });
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

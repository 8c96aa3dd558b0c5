import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { principalChanges, resetPrincipalChanges } from "./auth/principal-changes";
import { config } from "./config";
import { createPool } from "./db-pool";
import { onClose } from "./shutdown";

// Tables a principal is built from (src/server/auth/api-key-door.ts). A write to one of them may change what
// an instance has cached for an API key, so it returns only once every instance has dropped its entries
// (principal-changes.ts). Creating a row changes no existing principal.
const PRINCIPAL_MODELS = new Set(["ApiKey", "Membership", "User", "Workspace"]);
const PRINCIPAL_WRITES = new Set(["update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"]);
const RAW_PRINCIPAL_WRITE = /\b(update|delete|truncate)\b[\s\S]*"(ApiKey|Membership|User|Workspace)"/i;

// One client per process, also across Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as {
  heyooDb?: Db;
  heyooPlainDb?: ReturnType<typeof createBase>;
  heyooDbCloses?: boolean;
  heyooMainPool?: pg.Pool;
};

/** The SQL text of a raw query's arguments (a template's strings, a Prisma.sql object, or a plain string). */
function rawSql(args: unknown): string {
  if (typeof args === "string") return args;
  if (Array.isArray(args)) return args.map(rawSql).join(" ");
  if (args && typeof args === "object") {
    const sql = args as { sql?: unknown; strings?: unknown; raw?: unknown };
    return [sql.sql, sql.strings, sql.raw].map(rawSql).join(" ");
  }
  return "";
}

function createBase() {
  const pool = (globalForDb.heyooMainPool = createPool(config().DATABASE_POOL_MAX));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // Secrets are omitted from every query result unless a query asks for them by name.
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, apiKey: { hashedKey: true }, invite: { tokenHash: true } },
  });
}

function createClient(base: ReturnType<typeof createBase>) {
  // The writes to principal tables inside the current interactive transaction: waited for after its commit.
  const transaction = new AsyncLocalStorage<{ changedPrincipal: boolean }>();
  const extended = base.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const changes = model
          ? PRINCIPAL_MODELS.has(model) && PRINCIPAL_WRITES.has(operation)
          : operation.startsWith("$") && RAW_PRINCIPAL_WRITE.test(rawSql(args));
        if (!changes) return query(args);
        const scope = transaction.getStore();
        if (scope) {
          scope.changedPrincipal = true;
          return query(args);
        }
        const result = await query(args);
        await principalChanges().awaitApplied();
        return result;
      },
    },
  });
  type Extended = typeof extended;
  return new Proxy(extended, {
    get(target, property, receiver) {
      if (property === "$transaction") {
        return async (...args: Parameters<Extended["$transaction"]>) => {
          const scope = { changedPrincipal: false };
          try {
            return await transaction.run(scope, () => (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args));
          } finally {
            // Also after a rollback: a write outside the transaction but inside its callback may have committed.
            if (scope.changedPrincipal) await principalChanges().awaitApplied();
          }
        };
      }
      if (property === "$disconnect") {
        return async () => {
          const { flushKeyUses } = await import("./auth/last-used");
          await flushKeyUses();
          await principalChanges().stop();
          resetPrincipalChanges();
          await target.$disconnect();
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  }) as Extended;
}

export type Db = ReturnType<typeof createClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * The same pool without the wait for key caches, for writes that cannot change a principal (last-used times).
 * Everything else uses `db`.
 */
export const plainDb = (globalForDb.heyooPlainDb ??= createBase());
export const db: Db = (globalForDb.heyooDb ??= createClient(plainDb));

// Once per process (the first bundle to load this module): on SIGTERM, after the shutdown hooks.
if (!globalForDb.heyooDbCloses) {
  globalForDb.heyooDbCloses = true;
  onClose(() => db.$disconnect());
}

/** Prisma's own pool, for the reads that run as named statements (src/server/db-read.ts). */
export function mainPool(): pg.Pool {
  return globalForDb.heyooMainPool!;
}

import "server-only";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { db } from "./db";
import { isShuttingDown } from "./shutdown";

// Readiness for load balancers (GET /api/health/ready): this instance can serve requests when it is not
// shutting down, the database answers, and every migration shipped with this build is applied to it (an
// instance of a new build must not take traffic before `npm run db:migrate` ran).

/** How long readiness waits for the database: load balancers give a health check a few seconds. */
const DATABASE_CHECK_TIMEOUT_MS = 2_000;

// next.config.ts traces prisma/migrations into the standalone server, which runs with its folder as cwd.
const migrationsDir = () => path.join(process.cwd(), "prisma", "migrations");

let shipped: Promise<string[]> | undefined;

/** The migrations of this build: folders of prisma/migrations with a migration.sql (as scripts/db/migrations.ts reads them). */
function shippedMigrations(): Promise<string[]> {
  shipped ??= readdir(migrationsDir(), { withFileTypes: true }).then((entries) =>
    entries
      .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir(), entry.name, "migration.sql")))
      .map((entry) => entry.name)
      .sort(),
  );
  shipped.catch(() => (shipped = undefined));
  return shipped;
}

export type Readiness = { ready: true; migrations: number } | { ready: false; reason: string };

export async function checkReadiness(): Promise<Readiness> {
  if (isShuttingDown()) return { ready: false, reason: "This instance is shutting down." };
  let names: string[];
  try {
    names = await shippedMigrations();
  } catch {
    return { ready: false, reason: "This build's migrations (prisma/migrations) cannot be read." };
  }
  let applied: Set<string>;
  try {
    const rows = await withTimeout(
      // Applied, as both migration runners record it: finished and not rolled back.
      db.$queryRaw<{ name: string }[]>`
        SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      DATABASE_CHECK_TIMEOUT_MS,
    );
    applied = new Set(rows.map((row) => row.name));
  } catch (error) {
    if (error instanceof Error && /_prisma_migrations.*does not exist|42P01/.test(error.message)) {
      return { ready: false, reason: "No migration is applied to the database: run `npm run db:migrate`." };
    }
    return { ready: false, reason: "The database does not answer." };
  }
  const pending = names.filter((name) => !applied.has(name));
  if (pending.length) return { ready: false, reason: `Migrations not applied yet: ${pending.join(", ")}. Run \`npm run db:migrate\`.` };
  return { ready: true, migrations: names.length };
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// The project's own `prisma migrate deploy`: applies prisma/migrations/*/migration.sql in name order and
// records them in _prisma_migrations exactly as Prisma Migrate does, so the real CLI can take over the same
// database at any time. Unlike Prisma, each migration runs in a transaction: a failure leaves no half-applied
// schema behind.
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const defaultMigrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Prisma Migrate's advisory lock key: our runner and the real CLI exclude each other. */
const LOCK_KEY = 72707369;

/** Prisma's own DDL (sql-schema-connector, PostgresFlavour::create_migrations_table). */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

export class MigrationError extends Error {
  override name = "MigrationError";
}

type Migration = { name: string; script: string; checksum: string };

type MigrationRow = {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
};

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Like Prisma, a checksum also matches the script with the other line endings (git may convert them). */
function matchesChecksum(script: string, checksum: string): boolean {
  return [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\n", "\r\n")].some((s) => sha256(s) === checksum);
}

async function readMigrations(dir: string): Promise<Migration[]> {
  if (!existsSync(dir)) return [];
  const lockfile = path.join(dir, "migration_lock.toml");
  if (existsSync(lockfile)) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(await readFile(lockfile, "utf8"))?.[1];
    if (provider && provider !== "postgresql") {
      throw new MigrationError(`${lockfile} says provider = "${provider}", but this runner only applies PostgreSQL migrations.`);
    }
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new MigrationError(`Migration ${name} has no migration.sql (${file}).`);
      const bytes = await readFile(file);
      return { name, script: bytes.toString("utf8"), checksum: sha256(bytes) };
    }),
  );
}

/** Roughly what Prisma stores in `logs` for a failed migration. */
function describeFailure(error: unknown): string {
  if (!(error instanceof pg.DatabaseError)) return error instanceof Error ? error.message : String(error);
  const lines = [`Database error code: ${error.code}`, "", "Database error:", `${error.severity ?? "ERROR"}: ${error.message}`];
  if (error.detail) lines.push(`DETAIL: ${error.detail}`);
  if (error.hint) lines.push(`HINT: ${error.hint}`);
  if (error.position) lines.push(`Position: ${error.position}`);
  return lines.join("\n");
}

function failedMigrationsError(failed: MigrationRow[]): MigrationError {
  const details = failed
    .map((row) => {
      const logs = row.logs?.trim() ? ` with the following logs:\n${row.logs.trim()}` : "";
      return `The \`${row.migration_name}\` migration started at ${row.started_at.toISOString()} failed${logs}`;
    })
    .join("\n");
  const names = failed.map((row) => row.migration_name).join(" ");
  return new MigrationError(
    `migrate found failed migrations in the target database, new migrations will not be applied (like Prisma's P3009).\n${details}\n\n` +
      "A migration that failed under this runner ran in a transaction and left nothing behind (one that failed under " +
      "`prisma migrate deploy` may have applied part of its SQL). " +
      `Fix it, then mark it rolled back and run the migrations again:\n  npm run db:migrate -- --rolled-back ${names}\n` +
      `(or \`npx prisma migrate resolve --rolled-back <name>\` where the Prisma CLI can download its engine).`,
  );
}

/** Refuses, with a message saying why, a history that Prisma would refuse or that no longer matches the files. */
function checkHistory(rows: MigrationRow[], migrations: Migration[], dir: string): void {
  const failed = rows.filter((row) => !row.finished_at && !row.rolled_back_at);
  if (failed.length) throw failedMigrationsError(failed);

  const onDisk = new Map(migrations.map((migration) => [migration.name, migration]));
  const applied = rows.filter((row) => row.finished_at && !row.rolled_back_at);
  const missing = applied.filter((row) => !onDisk.has(row.migration_name)).map((row) => row.migration_name);
  if (missing.length) {
    throw new MigrationError(
      `These migrations are applied to the database but missing from ${dir}: ${missing.join(", ")}. ` +
        "Restore them from version control (or use a database that matches this checkout).",
    );
  }
  const changed = applied
    .filter((row) => !matchesChecksum(onDisk.get(row.migration_name)!.script, row.checksum))
    .map((row) => row.migration_name);
  if (changed.length) {
    throw new MigrationError(
      `These migrations were modified after they were applied: ${changed.join(", ")}. ` +
        "Restore their migration.sql from version control and put the change in a new migration (npm run db:migration:create -- <name>).",
    );
  }
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  // A dropped connection also rejects the pending query; without a listener it would crash the process.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Runs `work` holding Prisma Migrate's advisory lock, on a connection of its own. */
async function withMigrationLock<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connect(connectionString);
  try {
    // Wait for another deploy at most as long as Prisma does, instead of hanging forever.
    await client.query("SET lock_timeout = '10s'");
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]).catch((error: unknown) => {
      if (error instanceof pg.DatabaseError && error.code === "55P03") {
        throw new MigrationError("Timed out after 10 s waiting for the migration lock: is another migration running on this database?");
      }
      throw error;
    });
    await client.query("RESET lock_timeout");
    try {
      return await work(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates _prisma_migrations if needed; like Prisma, refuses a non-empty database without one (P3005). */
async function loadHistory(client: pg.Client): Promise<MigrationRow[]> {
  const { rows: exists } = await client.query<{ found: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS found");
  if (!exists[0]?.found) {
    const { rows: tables } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
    );
    if (tables.length) {
      throw new MigrationError(
        `The database schema is not empty and has no _prisma_migrations table (like Prisma's P3005): found ${tables
          .map((table) => table.tablename)
          .join(", ")}. Apply migrations to an empty database, or baseline this one first.`,
      );
    }
    await client.query(CREATE_MIGRATIONS_TABLE);
  }
  const { rows } = await client.query<MigrationRow>(
    "SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at, migration_name",
  );
  return rows;
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query("INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)", [
      id,
      migration.checksum,
      migration.name,
    ]);
    await client.query(migration.script);
    await client.query(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp() WHERE id = $1",
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const logs = describeFailure(error);
    // Recorded as Prisma records a failed migration, so that both this runner and Prisma refuse to go on.
    await client
      .query("INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs) VALUES ($1, $2, now(), $3, $4)", [
        id,
        migration.checksum,
        migration.name,
        logs,
      ])
      .catch(() => {});
    throw new MigrationError(
      `Migration ${migration.name} failed and was rolled back:\n${logs}\n\n` +
        `Fix it, then run \`npm run db:migrate -- --rolled-back ${migration.name}\` and apply the migrations again.`,
    );
  }
}

/** Applies the pending migrations; returns the names applied (none when the database is up to date). */
export async function applyMigrations(
  connectionString: string,
  opts: { log?: (line: string) => void; migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const dir = opts.migrationsDir ?? defaultMigrationsDir;
  const migrations = await readMigrations(dir);
  return withMigrationLock(connectionString, async (client) => {
    const rows = await loadHistory(client);
    checkHistory(rows, migrations, dir);
    const done = new Set(rows.filter((row) => !row.rolled_back_at).map((row) => row.migration_name));
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      log(`Applying migration ${migration.name}`);
      await applyOne(client, migration);
      applied.push(migration.name);
    }
    return { applied };
  });
}

/** `prisma migrate resolve --rolled-back NAME`: lets a failed migration be applied again once it is fixed. */
export async function markMigrationRolledBack(connectionString: string, name: string): Promise<void> {
  await withMigrationLock(connectionString, async (client) => {
    const { rowCount } = await client.query(
      "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL AND rolled_back_at IS NULL",
      [name],
    );
    if (!rowCount) throw new MigrationError(`There is no failed migration named ${name} in _prisma_migrations.`);
  });
}

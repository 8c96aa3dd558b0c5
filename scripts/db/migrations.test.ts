// The migration runner against a real database: the PostgreSQL server named by TEST_DATABASE_URL (a new
// database per test), else one embedded PGlite whose schema is emptied before each test.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase } from "./embedded";
import { applyMigrations, defaultMigrationsDir, markMigrationRolledBack } from "./migrations";
import { createEmptyDatabase } from "./test-database";

const serverUrl = process.env.TEST_DATABASE_URL;
let embedded: { url: string; stop(): Promise<void> } | undefined;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  if (!serverUrl) embedded = await startEmbeddedDatabase({});
}, 60_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await embedded?.stop();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** An empty database for one test. */
async function freshDatabase(): Promise<string> {
  if (embedded) {
    await query(embedded.url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    return embedded.url;
  }
  const database = await createEmptyDatabase(serverUrl!);
  cleanups.push(database.drop);
  return database.url;
}

/** A migrations folder of our own, so tests can break migrations without touching prisma/migrations. */
async function migrationsFolder(
  migrations: Record<string, string>,
): Promise<{ dir: string; write(name: string, sql: string): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "heyoo-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const write = async (name: string, sql: string) => {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  };
  await writeFile(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) await write(name, sql);
  return { dir, write };
}

const tableNames = async (url: string) =>
  (await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).map(
    (row) => row.tablename,
  );

describe("applyMigrations", () => {
  it("applies every project migration to an empty database, then nothing", async () => {
    const url = await freshDatabase();
    const names = (await readdir(defaultMigrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const lines: string[] = [];

    expect(await applyMigrations(url, { log: (line) => lines.push(line) })).toEqual({ applied: names });
    expect(lines).toEqual(names.map((name) => `Applying migration ${name}`));
    expect(await tableNames(url)).toEqual(expect.arrayContaining(["User", "Workspace", "Membership", "ApiKey", "_prisma_migrations"]));

    expect(await applyMigrations(url)).toEqual({ applied: [] });
    expect(await query(url, "SELECT 1 FROM _prisma_migrations")).toHaveLength(names.length);
  });

  it("records each migration as Prisma Migrate does", async () => {
    const url = await freshDatabase();
    await applyMigrations(url);

    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", length: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", length: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", length: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", length: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", length: null, is_nullable: "NO", column_default: "0" },
    ]);

    const rows = await query<{ id: string; checksum: string; migration_name: string; started_at: Date; finished_at: Date }>(
      url,
      "SELECT * FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const bytes = await readFile(path.join(defaultMigrationsDir, row.migration_name, "migration.sql"));
      expect(row).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        checksum: createHash("sha256").update(bytes).digest("hex"),
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it("refuses to go on when an applied migration was changed or removed", async () => {
    const url = await freshDatabase();
    const folder = await migrationsFolder({ "20250101000000_a": 'CREATE TABLE "A" (id int);\n' });
    await applyMigrations(url, { migrationsDir: folder.dir });

    await folder.write("20250101000000_a", 'CREATE TABLE "A" (id bigint);\n');
    await folder.write("20250102000000_b", 'CREATE TABLE "B" (id int);\n');
    await expect(applyMigrations(url, { migrationsDir: folder.dir })).rejects.toThrow(/modified after they were applied: 20250101000000_a/);

    // Git may turn LF into CRLF: that is not a change, as for Prisma.
    await folder.write("20250101000000_a", 'CREATE TABLE "A" (id int);\r\n');
    await rm(path.join(folder.dir, "20250102000000_b"), { recursive: true });
    expect(await applyMigrations(url, { migrationsDir: folder.dir })).toEqual({ applied: [] });

    await rm(path.join(folder.dir, "20250101000000_a"), { recursive: true });
    await expect(applyMigrations(url, { migrationsDir: folder.dir })).rejects.toThrow(/missing from .*: 20250101000000_a/);
    expect(await tableNames(url)).toEqual(["A", "_prisma_migrations"]);
  });

  it("rolls a failing migration back, records it, and refuses to go on until it is resolved (P3009)", async () => {
    const url = await freshDatabase();
    const folder = await migrationsFolder({
      "20250101000000_a": 'CREATE TABLE "A" (id int);\n',
      "20250102000000_b": 'CREATE TABLE "B" (id int);\nINSERT INTO "Missing" VALUES (1);\n',
      "20250103000000_c": 'CREATE TABLE "C" (id int);\n',
    });

    await expect(applyMigrations(url, { migrationsDir: folder.dir })).rejects.toThrow(
      /20250102000000_b failed[\s\S]*"Missing" does not exist/,
    );
    expect(await tableNames(url)).toEqual(["A", "_prisma_migrations"]);
    const [failed] = await query(url, "SELECT * FROM _prisma_migrations WHERE migration_name = '20250102000000_b'");
    expect(failed).toMatchObject({
      finished_at: null,
      rolled_back_at: null,
      applied_steps_count: 0,
      logs: expect.stringContaining("42P01"),
    });

    await folder.write("20250102000000_b", 'CREATE TABLE "B" (id int);\n');
    await expect(applyMigrations(url, { migrationsDir: folder.dir })).rejects.toThrow(/found failed migrations[\s\S]*20250102000000_b/);
    expect(await tableNames(url)).toEqual(["A", "_prisma_migrations"]);

    await markMigrationRolledBack(url, "20250102000000_b");
    expect(await applyMigrations(url, { migrationsDir: folder.dir })).toEqual({ applied: ["20250102000000_b", "20250103000000_c"] });
    expect(await tableNames(url)).toEqual(["A", "B", "C", "_prisma_migrations"]);
  });

  it("refuses a database that has tables but no migration history (P3005)", async () => {
    const url = await freshDatabase();
    await query(url, 'CREATE TABLE "Stray" (id int)');
    await expect(applyMigrations(url)).rejects.toThrow(/not empty[\s\S]*Stray/);
  });

  it.skipIf(!serverUrl)("lets only one of two concurrent runs apply the migrations", async () => {
    const url = await freshDatabase();
    const results = await Promise.all([applyMigrations(url), applyMigrations(url)]);
    const applied = results.map((result) => result.applied.length).sort();
    expect(applied[0]).toBe(0);
    expect(applied[1]).toBeGreaterThan(0);
  });
});

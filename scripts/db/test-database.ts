// A fresh, migrated database for the integration and end-to-end tests: on the server named by
// TEST_DATABASE_URL when it is set (as in CI), else an in-memory embedded one.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedDatabase } from "./embedded";
import { applyMigrations } from "./migrations";

async function onServer(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}

/** An empty database `heyoo_test_<random>` on the server of `serverUrl`; drop() removes it even if in use. */
export async function createEmptyDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `heyoo_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await onServer(serverUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const database = serverUrl
    ? await createEmptyDatabase(serverUrl)
    : await startEmbeddedDatabase({ port: 0 }).then(({ url, stop }) => ({ url, drop: stop }));
  try {
    await applyMigrations(database.url);
  } catch (error) {
    await database.drop().catch(() => {});
    throw error;
  }
  return database;
}

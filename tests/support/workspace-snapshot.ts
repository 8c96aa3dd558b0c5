import { db } from "@/server/db";

// A fingerprint of one workspace's rows in every table: a row count and an md5 of the rows (as JSON, in a
// fixed order) per table. Scoped to one workspace because the test files share one database and run in
// parallel: a whole-database checksum would see the other files' writes.

/** Tables that hold no workspace's data, and why they are left out. */
const UNSCOPED: Record<string, string> = {
  RateLimiterFlexible: "rate-limit counters: every authenticated request moves them, by design",
  _prisma_migrations: "the migration history",
  ApiKeyUsage: "requests counted per key, hour and operation: every API request adds to them, by design",
  CacheInstance: "heartbeats of the processes that keep API keys in memory: they move every second, by design",
};

/** How each table's rows of one workspace are found ($1: the workspace id). */
const SCOPES: Record<string, string> = {
  Workspace: `"id" = $1`,
  Membership: `"workspaceId" = $1`,
  Invite: `"workspaceId" = $1`,
  ApiKey: `"workspaceId" = $1`,
  Campaign: `"workspaceId" = $1`,
  Tag: `"workspaceId" = $1`,
  CampaignTag: `"workspaceId" = $1`,
  CampaignEvent: `"workspaceId" = $1`,
  CampaignEventRollup: `"workspaceId" = $1`,
  Domain: `"workspaceId" = $1`,
  AuditEvent: `"workspaceId" = $1`,
  // People and machine users of the workspace, and their sessions.
  User: `"id" IN (SELECT "userId" FROM "Membership" WHERE "workspaceId" = $1)`,
  Session: `"userId" IN (SELECT "userId" FROM "Membership" WHERE "workspaceId" = $1)`,
};

/**
 * Columns a read writes, by design: a key's last use (time, address, User-Agent) and request count (batched, written every few seconds by
 * src/server/auth/last-used.ts). updatedAt stays volatile for writers that set lastUsedAt through Prisma,
 * whose @updatedAt moves it too.
 */
const VOLATILE: Record<string, string[]> = { ApiKey: ["lastUsedAt", "lastUsedIp", "lastUsedUserAgent", "requestCount", "updatedAt"] };

export type WorkspaceSnapshot = Record<string, { rows: number; md5: string }>;

let tablesChecked: Promise<void> | undefined;

/** Fails when the database has a table this file does not know how to scope (a new model must be added). */
async function assertEveryTableScoped(): Promise<void> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const unknown = tables.map((table) => table.name).filter((name) => !(name in SCOPES) && !(name in UNSCOPED));
  if (unknown.length) {
    throw new Error(
      `tests/support/workspace-snapshot.ts does not know the table(s) ${unknown.join(", ")}: add them to SCOPES or UNSCOPED.`,
    );
  }
}

const SNAPSHOT_SQL = Object.entries(SCOPES)
  .map(([table, where]) => {
    const row = (VOLATILE[table] ?? []).reduce((expression, column) => `(${expression} - '${column}')`, "to_jsonb(t)");
    return `SELECT '${table}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS md5
      FROM (SELECT ${row}::text AS r FROM "${table}" t WHERE ${where}) AS x`;
  })
  .join("\nUNION ALL\n");

/** Row count and checksum of the workspace's rows, per table, in one query. */
export async function workspaceSnapshot(workspaceId: string): Promise<WorkspaceSnapshot> {
  await (tablesChecked ??= assertEveryTableScoped());
  const rows = await db.$queryRawUnsafe<{ name: string; rows: number; md5: string }[]>(SNAPSHOT_SQL, workspaceId);
  return Object.fromEntries(rows.map(({ name, ...rest }) => [name, rest]));
}

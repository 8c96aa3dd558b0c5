// SIGTERM on the production server (`node .next/standalone/server.js`): it stops accepting connections at once,
// lets the request in flight finish with its answer, runs the registered shutdown hooks (src/server/shutdown.ts;
// a probe hook is preloaded for this test only) and exits 0.
//
// The request in flight is made slow without any test-only code in the server: the test holds an ACCESS
// EXCLUSIVE lock on "Campaign" in its own transaction, so GET /api/v1/campaigns waits in PostgreSQL until the
// test commits.
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api } from "./support/http";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const skip = skipReason("graceful-shutdown.test.ts");
const PROBE = path.resolve("tests/hard/support/shutdown-probe.cjs");

/** Whether a TCP connection to the server is accepted now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(skip)("SIGTERM: drain, run the shutdown hooks, exit 0", () => {
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let server: RunningServer;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    const team = await services.createTeam();
    key = (await services.mintKey(team.owner, { kind: "all" })).key;
    server = await startServer({ name: "server", databaseUrl: database.url, env: { NODE_OPTIONS: `--require ${PROBE}` } });
  });

  afterAll(async () => {
    await server?.stop();
    await services?.close();
    await database?.drop();
  });

  it("finishes the request in flight with 200, refuses new connections, runs the hooks and exits 0", async () => {
    const port = Number(new URL(server.baseUrl).port);
    expect((await api(server.baseUrl, "GET", "/api/v1/campaigns", { key })).status).toBe(200);

    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN; LOCK TABLE "Campaign" IN ACCESS EXCLUSIVE MODE');
      const inFlight = api(server.baseUrl, "GET", "/api/v1/campaigns", { key, timeoutMs: 30_000 });
      // The request has reached PostgreSQL and waits for the lock.
      await until(
        async () => {
          const { rows } = await locker.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
          );
          return Number(rows[0]!.n) > 0;
        },
        15_000,
        "the request to wait for the lock",
      );

      process.kill(server.pid, "SIGTERM");
      await until(async () => !(await accepts(port)), 5_000, "the server to stop accepting connections");
      // Closed for new connections while the request is still waiting in the database.
      expect(await accepts(port)).toBe(false);
      const early = await Promise.race([
        inFlight.then(() => "answered"),
        new Promise((resolve) => setTimeout(() => resolve("pending"), 300)),
      ]);
      expect(early).toBe("pending");
      expect(server.exited()).toBe(false);

      await locker.query("COMMIT");
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ data: [] });
    } finally {
      await locker.end().catch(() => {});
    }

    const exit = await Promise.race([
      server.exit,
      new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 40_000)),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.logLines(/\[probe\] shutdown hook ran/)).toHaveLength(1);
    // The probe's hook and the app's own: the flush of batched last-used times (src/server/auth/last-used.ts).
    expect(server.logLines(/\[heyoo\] shutdown hooks: 2 ran, 0 failed, 0 unfinished/)).toHaveLength(1);
    expect(server.errorEntries()).toEqual([]);
  });
});

// When whatever reads the production server's stdout and stderr goes away (a log collector restarted, the reader
// of a pipe died), every log line the server writes fails with EPIPE. Seen on this machine: without a listener
// for that error, the first line logged afterwards (here: Redis's connection was cut) set the server spinning at
// a full core, writing "Error: write EPIPE" nowhere, and it answered no request again. src/server/log-streams.ts.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api } from "./support/http";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const redisUrl = process.env.TEST_REDIS_URL;
const skip = skipReason("closed-log-streams.test.ts") ?? (redisUrl ? null : "TEST_REDIS_URL is not set");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** User and system CPU time of a process so far, in clock ticks (1/100 s). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

describe.skipIf(skip)("a server whose log streams were closed", () => {
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    server = await startServer({ name: "closed logs", databaseUrl: database.url, env: { REDIS_URL: redisUrl! } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await services?.close();
    await database?.drop();
  });

  /** Closes this server's connections to Redis (named after its pid, src/server/http/rate-limit.ts), not others'. */
  const cutRedis = () => {
    const { hostname, port } = new URL(redisUrl!);
    const redis = (...args: string[]) => execFileSync("redis-cli", ["-h", hostname, "-p", port || "6379", ...args], { encoding: "utf8" });
    const ids = redis("CLIENT", "LIST")
      .split("\n")
      .filter((line) => line.includes(` name=heyoo-${server.pid} `))
      .map((line) => /\bid=(\d+)/.exec(line)![1]!);
    for (const id of ids) redis("CLIENT", "KILL", "ID", id);
    return ids.length;
  };

  it("loses its logs and nothing else: it keeps answering and stays idle when idle", async () => {
    const team = await services.createTeam();
    const { key } = await services.mintKey(team.owner, { name: "closed logs" });
    expect((await api(server.baseUrl, "GET", "/api/v1/me", { key })).status).toBe(200);

    server.closeOutput();
    // The server logs that it lost Redis (and falls back to counting in memory), to the closed stream.
    expect(cutRedis(), "the server's connections to Redis").toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      expect((await api(server.baseUrl, "GET", "/api/v1/me", { key, timeoutMs: 5_000 })).status).toBe(200);
      await sleep(500);
    }
    const before = cpuTicks(server.pid);
    await sleep(3_000);
    const used = cpuTicks(server.pid) - before;
    // Idle, a server uses a few ticks in 3 s (timers, Redis's reconnection); spinning, about 300.
    expect(used, "CPU ticks used in 3 idle seconds").toBeLessThan(60);
    expect((await api(server.baseUrl, "GET", "/api/v1/me", { key })).status).toBe(200);
    expect((await api(server.baseUrl, "GET", "/api/health")).status).toBe(200);
    expect(server.exited()).toBe(false);
  }, 60_000);
});

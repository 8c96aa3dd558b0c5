// Usage per key, counted by two production servers on one database under concurrent load (issue 13, item 2).
// Each instance counts requests in memory and adds them in batches (src/server/auth/last-used.ts): instance 1
// flushes every second while the load runs, instance 2 only when SIGTERM stops it. After both have stopped,
// the usage table holds exactly the requests the clients sent, per key, operation and status class, and each
// key's request count agrees: nothing lost, nothing counted twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api } from "./support/http";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const skip = skipReason("usage-two-instances.test.ts");
const REQUESTS = 1_200;
const CONCURRENCY = 24;

describe.skipIf(skip)("usage per key across two instances", () => {
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let one: RunningServer;
  let two: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    const env = { API_RATE_LIMIT: "1000000" };
    [one, two] = await Promise.all([
      startServer({ name: "instance 1", databaseUrl: database.url, env: { ...env, LAST_USED_FLUSH_SECONDS: "1" } }),
      startServer({ name: "instance 2", databaseUrl: database.url, env: { ...env, LAST_USED_FLUSH_SECONDS: "300" } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await services?.close();
    await database?.drop();
  });

  it("finds every request in the usage table exactly once, flushed by the timer or by SIGTERM", async () => {
    const team = await services.createTeam();
    const keys = await Promise.all(
      ["a", "b", "c"].map((name) =>
        services.mintKey(team.owner, { name: `Load ${name}`, kind: "restricted", permissions: ["campaigns.read"] }),
      ),
    );
    // What each request does: a 2xx, a 404 (4xx, the permission used) or a 403 (4xx, refused: no tags.read).
    const calls = [
      { operation: "listCampaigns", path: "/api/v1/campaigns" },
      { operation: "getCampaign", path: "/api/v1/campaigns/doesnotexist" },
      { operation: "listTags", path: "/api/v1/tags" },
    ];
    const expected = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const key = keys[i % keys.length]!;
        const call = calls[Math.floor(i / keys.length) % calls.length]!;
        const server = i % 2 === 0 ? one : two;
        const answer = await api(server.baseUrl, "GET", call.path, { key: key.key });
        expect([200, 403, 404]).toContain(answer.status);
        const slot = `${key.id} ${call.operation} ${Math.floor(answer.status / 100)}`;
        expected.set(slot, (expected.get(slot) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    // Instance 2 has written nothing yet: its interval is 5 minutes. SIGTERM makes it flush.
    await Promise.all([one.stop(), two.stop()]);
    expect(await one.exit).toMatchObject({ code: 0 });
    expect(await two.exit).toMatchObject({ code: 0 });
    for (const server of [one, two]) expect(server.logLines(/not written/)).toEqual([]);

    const rows = await services.db.apiKeyUsage.groupBy({
      by: ["apiKeyId", "operation", "statusClass"],
      where: { apiKeyId: { in: keys.map((key) => key.id) } },
      _sum: { requests: true, refused: true },
    });
    const found = new Map(rows.map((row) => [`${row.apiKeyId} ${row.operation} ${row.statusClass}`, row._sum.requests ?? 0]));
    expect(found).toEqual(expected);
    expect([...found.values()].reduce((sum, n) => sum + n, 0)).toBe(REQUESTS);
    // Only the 403s were refused before their operation ran.
    for (const row of rows) expect(row._sum.refused).toBe(row.operation === "listTags" ? row._sum.requests : 0);
    for (const key of keys) {
      const { requestCount } = await services.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(requestCount).toBe(REQUESTS / keys.length);
    }
  });
});

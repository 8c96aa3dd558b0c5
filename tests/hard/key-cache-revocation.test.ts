// Revocation with a key cache in every instance (src/server/auth/principal-changes.ts): with two and with
// three production servers on one database, a key revoked through one instance is refused by every other on
// the very next request, 1,000 times in a row, while background load runs. And with one instance's listener
// connection cut (its backend terminated), that instance still refuses the revoked key on the next request.
// The cache is really used: a warm key's requests do not touch the "ApiKey" table.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api, isProblem, sleep, Tally, type Answer } from "./support/http";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const ROUNDS = Number(process.env.HARD_REVOCATION_ROUNDS ?? 1_000);
/** A round takes 0.2–1 s on a busy 2-core machine. */
const ROUND_TIMEOUT_MS = 300_000 + ROUNDS * 1_500;
const skip = skipReason("key-cache-revocation.test.ts");

/** GET /me and POST /campaigns from a few clients over every instance, until stopped. */
function backgroundLoad(instances: () => RunningServer[], key: string, clients = 2) {
  const answers: Answer[] = [];
  let running = true;
  let sequence = 0;
  const loops = Array.from({ length: clients }, async (_, client) => {
    while (running) {
      const all = instances();
      const instance = all[sequence % all.length]!;
      sequence += 1;
      answers.push(
        client === 0 && sequence % 5 === 0
          ? await api(instance.baseUrl, "POST", "/api/v1/campaigns", { key, body: { name: `load ${sequence}`, subject: "Load" } })
          : await api(instance.baseUrl, "GET", "/api/v1/me", { key }),
      );
    }
  });
  return {
    answers,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe.skipIf(skip)("key caches on several instances", () => {
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let admin: pg.Client;
  const servers: RunningServer[] = [];
  const tally = new Tally();
  let team: Awaited<ReturnType<Services["createTeam"]>>;
  let adminKey: string;
  let loadKey: string;

  const start = (name: string) =>
    startServer({ name, databaseUrl: database.url, env: { API_RATE_LIMIT: "100000000", API_RATE_LIMIT_WINDOW_SECONDS: "60" } });

  /** Index scans of "ApiKey" so far (the statistics lag; callers wait for them). */
  const apiKeyScans = async () => {
    const { rows } = await admin.query<{ scans: string }>(
      `SELECT (coalesce(idx_scan, 0) + coalesce(seq_scan, 0))::text AS scans FROM pg_stat_user_tables WHERE relname = 'ApiKey'`,
    );
    return Number(rows[0]!.scans);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    servers.push(...(await Promise.all([start("instance 1"), start("instance 2")])));
    team = await services.createTeam();
    adminKey = (await services.mintKey(team.owner, { name: "admin" })).key;
    loadKey = (await services.mintKey(team.owner, { name: "load" })).key;
  });

  afterAll(async () => {
    console.info(`[hard] key-cache answers:\n${tally}`);
    await Promise.all(servers.map((server) => server.stop()));
    await admin?.end();
    await services?.close();
    await database?.drop();
  });

  /** Every instance answers GET /me with this key (which fills its cache), all at once. */
  async function warm(key: string, id: string) {
    const answers = await Promise.all(servers.map((server) => api(server.baseUrl, "GET", "/api/v1/me", { key })));
    answers.forEach((answer, i) => {
      tally.add("GET /me (warm)", answer.status);
      expect(answer.status, `${servers[i]!.name}: ${JSON.stringify(answer.json)}`).toBe(200);
      expect((answer.json!.apiKey as { id: string }).id).toBe(id);
    });
  }

  /** Keys minted ahead, a few at a time (fewer than the pool's connections), so the rounds measure revocation only. */
  async function mintVictims(count: number) {
    const keys: { id: string; key: string }[] = [];
    for (let i = 0; i < count; i += 4) {
      keys.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(4, count - i) }, (_, j) => services.mintKey(team.owner, { name: `victim ${i + j}` })),
        )),
      );
    }
    return keys;
  }

  async function revokeRounds(rounds: number) {
    const victims = await mintVictims(rounds);
    const load = backgroundLoad(() => servers, loadKey);
    const t0 = performance.now();
    const phaseMs = { warm: 0, revoke: 0, check: 0 };
    try {
      for (let round = 0; round < rounds; round++) {
        const revoker = servers[round % servers.length]!;
        const victim = victims[round]!;
        let t = performance.now();
        await warm(victim.key, victim.id);
        phaseMs.warm += performance.now() - t;
        t = performance.now();
        // Every fourth round narrows the key instead of deleting it: the next request sees the narrower set.
        const narrow = round % 4 === 3;
        const revoked = narrow
          ? await api(revoker.baseUrl, "PATCH", `/api/v1/api-keys/${victim.id}`, { key: adminKey, body: { kind: "read_only" } })
          : await api(revoker.baseUrl, "DELETE", `/api/v1/api-keys/${victim.id}`, { key: adminKey });
        tally.add(narrow ? "PATCH /api-keys/{id}" : "DELETE /api-keys/{id}", revoked.status);
        expect(revoked.status, JSON.stringify(revoked.json)).toBe(narrow ? 200 : 204);
        phaseMs.revoke += performance.now() - t;
        t = performance.now();
        // The very next request on each instance (sent to all at once: each is the next on its instance).
        const afters = await Promise.all(servers.map((server) => api(server.baseUrl, "GET", "/api/v1/me", { key: victim.key })));
        phaseMs.check += performance.now() - t;
        afters.forEach((after, i) => {
          const where = `round ${round}, ${servers[i]!.name}${servers[i] === revoker ? " (the revoker)" : ""}`;
          tally.add("GET /me (after)", after.status);
          if (narrow) {
            expect(after.status, where).toBe(200);
            expect(after.json!.permissions as string[], where).not.toContain("campaigns.write");
          } else {
            expect(isProblem(after, 401, "invalid_api_key"), `${where}: ${after.status} ${JSON.stringify(after.json)}`).toBe(true);
          }
        });
      }
    } finally {
      await load.stop();
    }
    for (const answer of load.answers) tally.add(`background ${answer.method} ${answer.path}`, answer.failure ?? answer.status);
    const failed = load.answers.filter((answer) => answer.status !== 200 && answer.status !== 201);
    expect(failed.map((answer) => `${answer.method} ${answer.status} ${answer.failure ?? ""}`)).toEqual([]);
    expect(load.answers.length).toBeGreaterThan(rounds);
    const seconds = (performance.now() - t0) / 1000;
    console.info(
      `[hard] ${rounds} rounds on ${servers.length} instances in ${seconds.toFixed(1)} s, ${load.answers.length} background answers; mean ms per round: warm ${(phaseMs.warm / rounds).toFixed(0)}, revoke ${(phaseMs.revoke / rounds).toFixed(0)}, next request ${(phaseMs.check / rounds).toFixed(0)}`,
    );
    for (const server of servers) expect(server.logLines(/did not acknowledge/), server.name).toEqual([]);
  }

  it("serves a warm key from memory: its requests do not read the ApiKey table", async () => {
    const { key, id } = await services.mintKey(team.owner, { name: "warm" });
    await warm(key, id);
    await sleep(1_500);
    const before = await apiKeyScans();
    for (let i = 0; i < 100; i++)
      for (const server of servers) expect((await api(server.baseUrl, "GET", "/api/v1/me", { key })).status).toBe(200);
    // Table statistics reach the view when a backend goes idle, at most once a second.
    await sleep(2_500);
    const scans = (await apiKeyScans()) - before;
    // 200 requests, each of which would scan it without the cache; what remains is the batched flush of uses
    // (per instance every 5 s: the UPDATE of last-used times, the usage insert's join that skips deleted keys,
    // and its new rows' foreign-key checks, src/server/auth/last-used.ts), the minute sweep of lapses, and this
    // loop takes a while on a busy machine.
    expect(scans, `ApiKey scans during 200 warm requests`).toBeLessThan(25);
  });

  it(
    `two instances: revoked through one, refused by the other on the very next request, ${ROUNDS} times`,
    async () => {
      await revokeRounds(ROUNDS);
    },
    ROUND_TIMEOUT_MS,
  );

  it(
    `three instances: the same, ${ROUNDS} times`,
    async () => {
      servers.push(await start("instance 3"));
      await revokeRounds(ROUNDS);
    },
    ROUND_TIMEOUT_MS,
  );

  it("an instance whose listener was cut still refuses a revoked key on the next request, and serves from memory again once back", async () => {
    const [one, two] = servers as [RunningServer, RunningServer];
    const listenerOf = async (server: RunningServer) => {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [`heyoo-key-cache-listener ${server.pid}`],
      );
      return rows.map((row) => row.pid);
    };
    expect(await listenerOf(two), "instance 2 has one listener connection").toHaveLength(1);
    // Cut at different moments relative to the revocation: before it, right before, and during it.
    for (const delayMs of [0, 0, 5, 20, 50, 100, 200, 400, 800, 1_500]) {
      const victim = await services.mintKey(team.owner, { name: `cut ${delayMs}` });
      await warm(victim.key, victim.id);
      const [pid] = await listenerOf(two);
      const cut = admin.query("SELECT pg_terminate_backend($1)", [pid]);
      const revoke = sleep(delayMs).then(() => api(one.baseUrl, "DELETE", `/api/v1/api-keys/${victim.id}`, { key: adminKey }));
      await cut;
      const revoked = await revoke;
      tally.add("DELETE /api-keys/{id} (cut)", revoked.status);
      expect(revoked.status).toBe(204);
      const after = await api(two.baseUrl, "GET", "/api/v1/me", { key: victim.key });
      tally.add("GET /me (after cut)", after.status);
      expect(isProblem(after, 401, "invalid_api_key"), `cut ${delayMs} ms before: ${after.status}`).toBe(true);
      // Reconnected within a few seconds.
      const deadline = performance.now() + 10_000;
      while ((await listenerOf(two)).length !== 1 && performance.now() < deadline) await sleep(100);
      expect(await listenerOf(two)).toHaveLength(1);
    }
    expect(two.logLines(/key cache: listener connection lost/).length).toBeGreaterThan(0);
    // Back to memory: a warm key's requests on instance 2 stop reading the table.
    const { key, id } = await services.mintKey(team.owner, { name: "after cuts" });
    await sleep(1_000);
    await warm(key, id);
    await sleep(1_500);
    const before = await apiKeyScans();
    for (let i = 0; i < 100; i++) expect((await api(two.baseUrl, "GET", "/api/v1/me", { key })).status).toBe(200);
    await sleep(2_500);
    // 100 requests, none of which reads the key: what remains is the flushes and sweeps counted above.
    expect((await apiKeyScans()) - before, "ApiKey scans during 100 warm requests").toBeLessThan(20);
    for (const server of servers) expect(server.errorEntries(), server.name).toEqual([]);
  });
});

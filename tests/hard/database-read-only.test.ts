// PostgreSQL turns read-only for 8 s under light steady load (a failover in progress, maintenance, a standby
// not yet promoted), on the test's own database only: `ALTER DATABASE … SET default_transaction_read_only = on`
// and its open connections ended, as a failover ends them. Then `RESET`, without touching the app's
// connections: the app must notice by itself that new sessions may write again. Rate limits in PostgreSQL.
// - Reads keep working: GET /me, GET of every resource, the pages of a signed-in browser, with fresh keys
//   whose first request would record its last-used time and lease rate-limit points (both best effort).
// - Writes answer 503 problem+json with Retry-After, none a 500, none hangs.
// - Writable again: writes succeed again within seconds without a restart, and every write acknowledged with
//   201 is stored.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api, isProblem, sleep, Tally } from "./support/http";
import { percentile, round, serverErrorsOf, steadyLoad, tallyOf, waitForRecovery, writesKept } from "./support/load";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const WARM_UP_MS = 3_000;
const READ_ONLY_MS = 8_000;
/** Requests sent this soon after the switch may meet a connection the failover ended (503): not counted. */
const SETTLE_MS = 1_000;
const RECOVERY_BUDGET_MS = 5_000;
const AFTER_RECOVERY_MS = 3_000;

const skip = skipReason("database-read-only.test.ts");

/** The server's own log lines, counted by their first words. */
function logSummary(server: RunningServer): string {
  const counts = new Map<string, number>();
  for (const line of server.logLines(/\[heyoo\]|Error|error/)) {
    const head = line.slice(0, 90);
    counts.set(head, (counts.get(head) ?? 0) + 1);
  }
  return [...counts].map(([head, n]) => `${n}× ${head}`).join("\n");
}

describe.skipIf(skip)("a database that is read-only for 8 s under load", () => {
  let database: { url: string; drop(): Promise<void> };
  let admin: pg.Client;
  let name: string;
  let services: Services;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    name = new URL(database.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: database.url });
    admin.on("error", () => {});
    await admin.connect();
    services = await loadServices(database.url);
    server = await startServer({ name: "server", databaseUrl: database.url, env: { API_RATE_LIMIT: "100000" }, readyTimeoutMs: 180_000 });
  }, 240_000);

  afterAll(async () => {
    if (server) console.info(`[hard] read-only server log:\n${logSummary(server)}\n${server.log().slice(-3_000)}`);
    await admin?.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} RESET default_transaction_read_only`).catch(() => {});
    await server?.stop();
    await admin?.end().catch(() => {});
    await services?.close();
    await database?.drop();
  });

  it("keeps reads and pages working, answers writes 503, and takes writes again by itself", async () => {
    const team = await services.createTeam();
    const { key } = await services.mintKey(team.owner, { name: "steady load" });
    const tag = await api(server.baseUrl, "POST", "/api/v1/tags", { key, body: { name: "read-only" } });
    const campaign = await api(server.baseUrl, "POST", "/api/v1/campaigns", {
      key,
      body: { name: "Kept", subject: "Hi", tagIds: [tag.json!.id] },
    });
    const domain = await api(server.baseUrl, "POST", "/api/v1/domains", { key, body: { hostname: `ro-${Date.now()}.example.com` } });
    const keys = await api(server.baseUrl, "GET", "/api/v1/api-keys", { key });
    expect([tag.status, campaign.status, domain.status, keys.status]).toEqual([201, 201, 201, 200]);
    const keyId = (keys.json!.data as { id: string }[])[0]!.id;
    // Never used before the database turns read-only: their first request wants to write (last used, lease).
    const freshKeys: string[] = [];
    for (let i = 0; i < 6; i++) freshKeys.push((await services.mintKey(team.owner, { name: `fresh ${i}` })).key);
    const cookie = await services.sessionCookie(team.owner.user);
    const slug = team.workspace.slug;

    const reads = [
      "/api/v1/me",
      "/api/v1/workspaces",
      `/api/v1/workspaces/${slug}`,
      "/api/v1/campaigns",
      `/api/v1/campaigns/${campaign.json!.id}`,
      "/api/v1/tags",
      `/api/v1/tags/${tag.json!.id}`,
      "/api/v1/domains",
      `/api/v1/domains/${domain.json!.id}`,
      "/api/v1/api-keys",
      `/api/v1/api-keys/${keyId}`,
      "/api/v1/analytics",
    ];
    const pages = [
      `/${slug}/campaigns`,
      `/${slug}/tags`,
      `/${slug}/domains`,
      `/${slug}/settings/general`,
      `/${slug}/settings/api-keys`,
      `/${slug}/settings/people`,
      "/account",
    ];
    const readTally = new Tally();
    /** Every read once through a key and through the session door, and every page: their statuses. */
    const readEverything = async (label: string, apiKey: string) => {
      const failures: string[] = [];
      for (const path of reads) {
        for (const [door, answer] of [
          ["key", await api(server.baseUrl, "GET", path, { key: apiKey })],
          [
            "session",
            await api(server.baseUrl, "GET", `${path}${path.includes("?") ? "&" : "?"}workspace=${slug}`, { headers: { cookie } }),
          ],
        ] as const) {
          readTally.add(`${label} GET ${door} ${path.replace(/[0-9a-z]{20,}/g, "{id}")}`, answer.status);
          if (answer.status !== 200) failures.push(`${door} GET ${path} ${answer.status} ${JSON.stringify(answer.json)}`);
        }
      }
      for (const path of pages) {
        const response = await fetch(`${server.baseUrl}${path}`, {
          headers: { cookie },
          redirect: "manual",
          signal: AbortSignal.timeout(15_000),
        });
        const html = await response.text();
        readTally.add(`${label} page ${path.replace(slug, "{slug}")}`, response.status);
        if (response.status !== 200 || html.includes("This page could not be loaded")) failures.push(`page ${path} ${response.status}`);
      }
      return failures;
    };

    let sequence = 0;
    const load = steadyLoad({
      baseUrl: server.baseUrl,
      key,
      tickMs: 200,
      campaign: () => ({ name: `read-only load ${++sequence}`, subject: "Steady", tagIds: [tag.json!.id] }),
    });
    const t0 = performance.now();
    await sleep(WARM_UP_MS);

    const readOnlyAt = performance.now();
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} SET default_transaction_read_only = on`);
    // A failover ends the old primary's sessions; new ones start read-only.
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    let writableAt = NaN;
    let duringFailures: string[] = [];
    let freshAnswers: number[] = [];
    let sessionWrite: Awaited<ReturnType<typeof api>> | undefined;
    try {
      await sleep(SETTLE_MS);
      duringFailures = await readEverything("read-only", freshKeys[0]!);
      freshAnswers = await Promise.all(
        freshKeys.slice(1).map(async (fresh) => (await api(server.baseUrl, "GET", "/api/v1/me", { key: fresh })).status),
      );
      // A write through the session door answers the same way.
      sessionWrite = await api(server.baseUrl, "POST", `/api/v1/tags?workspace=${slug}`, {
        headers: { cookie, origin: server.baseUrl },
        body: { name: "during read-only" },
      });
      await sleep(Math.max(0, READ_ONLY_MS - (performance.now() - readOnlyAt)));
    } finally {
      await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} RESET default_transaction_read_only`);
      writableAt = performance.now();
    }
    const recoveredAt = await waitForRecovery(load.answers, writableAt, RECOVERY_BUDGET_MS + 10_000);
    await sleep(AFTER_RECOVERY_MS);
    await load.stop();
    const afterFailures = await readEverything("after", key);

    const { answers } = load;
    const during = answers.filter((answer) => answer.sentAt >= readOnlyAt + SETTLE_MS && answer.doneAt < writableAt);
    const readsDuring = during.filter((answer) => answer.kind === "me");
    const writesDuring = during.filter((answer) => answer.kind === "create");
    const readsNot200 = readsDuring.filter((answer) => answer.status !== 200);
    const writesNot503 = writesDuring.filter((answer) => !isProblem(answer, 503, "service_unavailable") || answer.retryAfter === null);
    const { created, storedIds, lost } = await writesKept(answers, database.url, team.workspace.id);
    console.info(
      `[hard] database read-only: ${JSON.stringify(
        {
          requests: answers.length,
          duringReadOnly: {
            reads: readsDuring.length,
            readsNot200: readsNot200.length,
            readP50Ms: round(
              percentile(
                readsDuring.map((a) => a.ms),
                50,
              ),
            ),
            readP99Ms: round(
              percentile(
                readsDuring.map((a) => a.ms),
                99,
              ),
            ),
            writes: writesDuring.length,
            writesNot503: writesNot503.length,
            writeMaxMs: round(Math.max(0, ...writesDuring.map((a) => a.ms))),
            freshKeys: freshAnswers,
            sessionWrite: sessionWrite?.status,
          },
          writesAcceptedAgainAfterMs: round(recoveredAt - writableAt),
          acknowledgedWrites: created.length,
          storedCampaigns: storedIds.size,
          lostWrites: lost.length,
          timeline: `read-only at +${round(readOnlyAt - t0)} ms, writable at +${round(writableAt - t0)}, writes succeed again at +${round(recoveredAt - t0)}`,
        },
        null,
        2,
      )}\nanswers:\n${tallyOf(answers)}\nreads and pages:\n${readTally}\nserver log:\n${logSummary(server)}`,
    );

    expect(readsDuring.length, "the load kept reading during read-only").toBeGreaterThan(50);
    expect(writesDuring.length, "the load kept writing during read-only").toBeGreaterThan(25);
    expect(serverErrorsOf(answers).map((a) => `${a.method} ${a.path} ${a.failure ?? a.status} ${round(a.ms)} ms`)).toEqual([]);
    expect(readsNot200.map((a) => `${a.method} ${a.path} ${a.status} ${JSON.stringify(a.json)}`)).toEqual([]);
    expect(duringFailures).toEqual([]);
    expect(freshAnswers).toEqual(Array<number>(freshKeys.length - 1).fill(200));
    expect(writesNot503.map((a) => `${a.method} ${a.path} ${a.status} ${JSON.stringify(a.json)}`)).toEqual([]);
    expect(
      sessionWrite && isProblem(sessionWrite, 503, "service_unavailable") && sessionWrite.retryAfter !== null,
      JSON.stringify(sessionWrite?.json),
    ).toBe(true);
    expect(Number.isFinite(recoveredAt), "writes succeeded again after the database was writable").toBe(true);
    expect(recoveredAt - writableAt).toBeLessThan(RECOVERY_BUDGET_MS);
    expect(afterFailures).toEqual([]);
    expect(lost).toEqual([]);
    expect(created.length).toBeGreaterThan(20);
    expect(server.logLines(/uncaughtException|unexpected error/)).toEqual([]);
  });
});

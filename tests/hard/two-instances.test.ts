// Two production servers on one PostgreSQL database: what one instance does, the other sees at once.
// - A key deleted through one instance is refused (401) by the other on the very next request: each instance
//   caches keys in memory, and a deletion returns only once every instance has dropped the key
//   (src/server/auth/principal-changes.ts; key-cache-revocation.test.ts proves it 1,000 times in a row).
// - Rate-limit counters live in PostgreSQL, shared by both, each instance leasing a tenth of the limit per write
//   (docs/decisions/010-rate-limit-accuracy.md): alternating (or racing) requests between the instances get
//   exactly API_RATE_LIMIT successes, then 429 with Retry-After. A client cannot double its limit by spreading
//   its requests; one that stops calling an instance leaves at most a lease - 1 points there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { api, isProblem, Tally } from "./support/http";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const LIMIT = 20;
/** Points an instance takes per write: leaseSize(LIMIT) in src/server/http/rate-limit.ts. */
const LEASE = 2;
const skip = skipReason("two-instances.test.ts");

describe.skipIf(skip)("two instances on one database", () => {
  let database: { url: string; drop(): Promise<void> };
  let services: Services;
  let one: RunningServer;
  let two: RunningServer;
  const tally = new Tally();

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    const env = { API_RATE_LIMIT: String(LIMIT), API_RATE_LIMIT_WINDOW_SECONDS: "60" };
    [one, two] = await Promise.all([
      startServer({ name: "instance 1", databaseUrl: database.url, env }),
      startServer({ name: "instance 2", databaseUrl: database.url, env }),
    ]);
  });

  afterAll(async () => {
    console.info(`[hard] two-instances answers:\n${tally}`);
    await Promise.all([one?.stop(), two?.stop()]);
    await services?.close();
    await database?.drop();
  });

  it("refuses on instance 2 a key deleted through instance 1, on the very next request (and the reverse)", async () => {
    const team = await services.createTeam();
    // One admin key per direction, each far below the limit of 20 requests.
    const admins = [await services.mintKey(team.owner, { name: "admin 1" }), await services.mintKey(team.owner, { name: "admin 2" })];
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const [revoker, checker] = round % 2 === 0 ? [one, two] : [two, one];
      const admin = admins[round % 2]!.key;
      // Alternately a person's key minted by the service and a machine key created over HTTP on the checker.
      let victim: { id: string; key: string };
      if (round % 4 < 2) {
        victim = await services.mintKey(round % 4 === 0 ? team.owner : team.member, { name: `victim ${round}` });
      } else {
        const created = await api(checker.baseUrl, "POST", "/api/v1/api-keys", {
          key: admin,
          body: { name: `machine victim ${round}`, kind: "read_only", owner: "machine" },
        });
        tally.add("POST /api-keys", created.status);
        expect(created.status, JSON.stringify(created.json)).toBe(201);
        victim = { id: created.json!.id as string, key: created.json!.key as string };
      }

      const before = await api(checker.baseUrl, "GET", "/api/v1/me", { key: victim.key });
      tally.add("GET /me (before)", before.status);
      expect(before.status).toBe(200);
      expect((before.json!.apiKey as { id: string }).id).toBe(victim.id);

      const revoked = await api(revoker.baseUrl, "DELETE", `/api/v1/api-keys/${victim.id}`, { key: admin });
      tally.add("DELETE /api-keys/{id}", revoked.status);
      expect(revoked.status).toBe(204);

      // The very next request, on the other instance, right after the 204.
      const after = await api(checker.baseUrl, "GET", "/api/v1/me", { key: victim.key });
      tally.add("GET /me (after)", after.status);
      expect(isProblem(after, 401, "invalid_api_key"), JSON.stringify(after.json)).toBe(true);
      // And the revoking instance agrees.
      const again = await api(revoker.baseUrl, "GET", "/api/v1/me", { key: victim.key });
      tally.add("GET /me (after)", again.status);
      expect(again.status).toBe(401);
    }
  });

  it("shares one rate-limit counter: alternating requests between the instances get exactly the limit", async () => {
    const team = await services.createTeam();
    const { key } = await services.mintKey(team.owner, { name: "alternating" });
    const answers = [];
    for (let i = 0; i < LIMIT + 10; i++) {
      const instance = i % 2 === 0 ? one : two;
      const answer = await api(instance.baseUrl, "GET", "/api/v1/me", { key });
      tally.add("GET /me (alternating)", answer.status);
      answers.push({ instance: instance.name, ...answer });
    }
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), ...Array<number>(10).fill(429)]);
    // Each success shows the shared remainder counting down across both instances (19, 18, …, 0), give or take
    // the points the other instance has leased and not spent yet (at most LEASE - 1).
    const remaining = answers.slice(0, LIMIT).map((answer) => Number(/r=(\d+)/.exec(answer.rateLimit ?? "")?.[1]));
    remaining.forEach((r, i) => expect(Math.abs(r - (LIMIT - 1 - i)), `r=${r} after ${i + 1} requests`).toBeLessThanOrEqual(LEASE - 1));
    expect(remaining.at(-1)).toBe(0);
    for (const refused of answers.slice(LIMIT)) {
      expect(isProblem(refused, 429, "rate_limited"), JSON.stringify(refused.json)).toBe(true);
      const retryAfter = Number(refused.retryAfter);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${refused.retryAfter}`).toBe(true);
    }
    // Both instances refused: neither kept a private allowance.
    expect(new Set(answers.slice(LIMIT).map((answer) => answer.instance))).toEqual(new Set(["instance 1", "instance 2"]));
  });

  it("shares it under a race too: 60 simultaneous requests over both instances get exactly the limit", async () => {
    const team = await services.createTeam();
    const { key } = await services.mintKey(team.owner, { name: "racing" });
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => api((i % 2 === 0 ? one : two).baseUrl, "GET", "/api/v1/me", { key })),
    );
    for (const answer of answers) tally.add("GET /me (racing)", answer.status);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(LIMIT);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(60 - LIMIT);
    expect(answers.filter((answer) => answer.status === 429).every((answer) => Number(answer.retryAfter) >= 1)).toBe(true);
  });

  it("leaves at most LEASE - 1 points on an instance the client stops calling, and never grants more than the limit", async () => {
    const team = await services.createTeam();
    const { key } = await services.mintKey(team.owner, { name: "moving" });
    const first = await api(one.baseUrl, "GET", "/api/v1/me", { key });
    tally.add("GET /me (moving)", first.status);
    expect(first.status).toBe(200);
    // Instance 1 leased LEASE points and spent one; instance 2 gets the rest of the limit and no more.
    const fromTwo = [];
    for (let i = 0; i < LIMIT + 5; i++) fromTwo.push(await api(two.baseUrl, "GET", "/api/v1/me", { key }));
    for (const answer of fromTwo) tally.add("GET /me (moving)", answer.status);
    expect(fromTwo.filter((answer) => answer.status === 200)).toHaveLength(LIMIT - LEASE);
    expect(fromTwo.slice(LIMIT - LEASE).every((answer) => isProblem(answer, 429, "rate_limited"))).toBe(true);
    // The point left on instance 1 is still the client's; then the limit is spent everywhere.
    const back = [await api(one.baseUrl, "GET", "/api/v1/me", { key }), await api(one.baseUrl, "GET", "/api/v1/me", { key })];
    for (const answer of back) tally.add("GET /me (moving)", answer.status);
    expect(back.map((answer) => answer.status)).toEqual([200, 429]);
  });
});

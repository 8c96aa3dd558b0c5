import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

describe.each([
  ["PostgreSQL", { REDIS_URL: undefined, EMBEDDED_DATABASE: "0" }, !process.env.TEST_DATABASE_URL],
  ["Redis", { REDIS_URL: process.env.TEST_REDIS_URL, EMBEDDED_DATABASE: "0" }, !process.env.TEST_REDIS_URL],
])("rate-limit counters in %s", (_store, env, skip) => {
  it.skipIf(skip)("are shared between instances, so alternating between them does not double the limit", async () => {
    vi.resetModules();
    Object.assign(process.env, env);
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
    const keyPrefix = `test-${randomUUID()}`;
    const first = (await import("@/server/http/rate-limit")).createLimiter(keyPrefix, 3, 60);
    vi.resetModules();
    const second = (await import("@/server/http/rate-limit")).createLimiter(keyPrefix, 3, 60);
    expect(first).not.toBe(second);

    const subject = randomUUID();
    await first.consume(subject);
    await second.consume(subject);
    await first.consume(subject);
    await expect(second.consume(subject)).rejects.toMatchObject({ remainingPoints: 0 });
    await expect(first.consume(subject)).rejects.toMatchObject({ remainingPoints: 0 });
  });
});

// Counters with fewer writes (docs/decisions/010-rate-limit-accuracy.md): each instance takes a lease of a tenth
// of the limit per store call, in PostgreSQL (one upsert) and in Redis (one script). Never more than the limit
// in a window over all instances; a client that leaves an instance holding unspent points gets up to lease - 1
// fewer from the others.
describe.each([
  ["PostgreSQL", undefined, !process.env.TEST_DATABASE_URL],
  ["Redis", process.env.TEST_REDIS_URL, !process.env.TEST_REDIS_URL || !process.env.TEST_DATABASE_URL],
])("rate-limit counters in %s, leased", (store, redisUrl, skip) => {
  async function twoInstances(points: number) {
    vi.resetModules();
    if (redisUrl) process.env.REDIS_URL = redisUrl;
    else delete process.env.REDIS_URL;
    process.env.EMBEDDED_DATABASE = "0";
    const keyPrefix = `lease-${randomUUID()}`;
    const first = (await import("@/server/http/rate-limit")).createLimiter(keyPrefix, points, 60);
    vi.resetModules();
    const second = (await import("@/server/http/rate-limit")).createLimiter(keyPrefix, points, 60);
    /** The window's demand as the shared store holds it: every point asked for, granted or not. */
    const demand = async (subject: string) => {
      if (redisUrl) {
        const { Redis } = await import("ioredis");
        const client = new Redis(redisUrl);
        try {
          return Number((await client.get(`${keyPrefix}:${subject}`)) ?? 0);
        } finally {
          client.disconnect();
        }
      }
      const pg = (await import("pg")).default;
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ points: number }>(`SELECT points FROM "RateLimiterFlexible" WHERE key = $1`, [
          `${keyPrefix}:${subject}`,
        ]);
        return rows[0]?.points ?? 0;
      } finally {
        await client.end();
      }
    };
    return { first, second, demand };
  }

  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: { remainingPoints?: number }) => (typeof error.remainingPoints === "number" ? "limited" : `error: ${String(error)}`),
    );

  it.skipIf(skip)(`writes ${store} once per lease and counts down exactly on one instance`, async () => {
    const { first, demand } = await twoInstances(40);
    const subject = randomUUID();
    const remaining: number[] = [];
    for (let i = 0; i < 40; i++) remaining.push((await first.consume(subject)).remainingPoints);
    expect(remaining).toEqual(Array.from({ length: 40 }, (_, i) => 39 - i));
    // 40 requests, leases of 4: ten upserts, each asking for 4 points.
    expect(await demand(subject)).toBe(40);
    await expect(first.consume(subject)).rejects.toMatchObject({ remainingPoints: 0 });
    // Refused from memory for a moment: a client hammering a spent limit does not write per request.
    for (let i = 0; i < 20; i++) expect(await outcome(first.consume(subject))).toBe("limited");
    expect(await demand(subject)).toBe(44);
  });

  it.skipIf(skip)("never grants more than the limit over both instances, in any interleaving and under a race", async () => {
    const { first, second } = await twoInstances(20);
    for (let round = 0; round < 5; round++) {
      const subject = randomUUID();
      const order = Array.from({ length: 40 }, () => (Math.random() < 0.5 ? first : second));
      const sequential: string[] = [];
      for (const limiter of order.slice(0, 20)) sequential.push(await outcome(limiter.consume(subject)));
      const raced = await Promise.all(order.slice(20).map((limiter) => outcome(limiter.consume(subject))));
      const granted = [...sequential, ...raced].filter((result) => result === "ok").length;
      expect([...sequential, ...raced].filter((result) => result.startsWith("error"))).toEqual([]);
      expect(granted).toBeLessThanOrEqual(20);
      // Each instance holds at most lease - 1 = 1 unspent point when the other one is refused.
      expect(granted).toBeGreaterThanOrEqual(19);
    }
  });

  it.skipIf(skip)("keeps points leased to an instance the client stopped calling for that instance (at most lease - 1)", async () => {
    const { first, second } = await twoInstances(20);
    const subject = randomUUID();
    expect(await outcome(first.consume(subject))).toBe("ok");
    const fromSecond: string[] = [];
    for (let i = 0; i < 25; i++) fromSecond.push(await outcome(second.consume(subject)));
    expect(fromSecond.filter((result) => result === "ok")).toHaveLength(18);
    // The first instance still holds the second point of its lease, and nothing more.
    expect(await outcome(first.consume(subject))).toBe("ok");
    expect(await outcome(first.consume(subject))).toBe("limited");
  });

  it.skipIf(skip)("gives a point back (reward) and starts over (delete) across instances", async () => {
    const { first, second } = await twoInstances(3);
    const subject = randomUUID();
    await first.consume(subject);
    await first.consume(subject);
    await second.consume(subject);
    await first.reward(subject, 1);
    expect(await outcome(second.consume(subject))).toBe("ok");
    expect(await outcome(first.consume(subject))).toBe("limited");
    // The instance that refused forgets its refusal when it deletes the counter (as a successful sign-in does).
    await first.delete(subject);
    for (let i = 0; i < 3; i++) expect(await outcome(second.consume(subject))).toBe("ok");
    expect(await outcome(first.consume(subject))).toBe("limited");
  });
});

// Redis that refuses connections: the limiter answers from each instance's memory at once (no waiting in
// ioredis's reconnect queue) and still enforces the limit.
describe("rate-limit counters with an unreachable Redis", () => {
  it("answer from memory within milliseconds and still refuse past the limit", async () => {
    const { freePort } = await import("../hard/support/server");
    vi.resetModules();
    process.env.REDIS_URL = `redis://127.0.0.1:${await freePort()}`;
    process.env.EMBEDDED_DATABASE = "0";
    const { createLimiter } = await import("@/server/http/rate-limit");
    const limiter = createLimiter(`refused-${randomUUID()}`, 5, 60);
    const subject = randomUUID();
    const times: number[] = [];
    const results: string[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      results.push(await outcome(limiter.consume(subject)));
      times.push(performance.now() - started);
    }
    expect(results).toEqual(["ok", "ok", "ok", "ok", "ok", "limited", "limited", "limited"]);
    expect(Math.max(...times)).toBeLessThan(100);
  });

  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: { remainingPoints?: number }) => (typeof error.remainingPoints === "number" ? "limited" : `error: ${String(error)}`),
    );
});

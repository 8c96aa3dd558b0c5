import { randomUUID } from "node:crypto";
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

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FairShare, HeavyReadRefused } from "./fair-share";
import { toAppError } from "./to-app-error";

// Fake timers drive both the pauses and the clock the scheduler reads, so every start time is exact.
const now = () => Date.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function recorder() {
  const starts: Record<string, number[]> = {};
  const ends: Record<string, number[]> = {};
  /** A read of `ms` that notes when it started and ended, under `name`. */
  const read =
    (name: string, ms: number, fail = false) =>
    async () => {
      (starts[name] ??= []).push(now());
      await sleep(ms);
      (ends[name] ??= []).push(now());
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  return { starts, ends, read };
}

describe("FairShare: a lane's heavy reads take at most its share of the instance's time", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs a lane's reads one at a time, in order, each after a pause of (1 / share - 1) times the last one", async () => {
    const lanes = new FairShare({ share: 0.25, maxWaiting: 10, maxWaitMs: 10_000, now });
    const { starts, ends, read } = recorder();
    const t0 = now();
    const results = Promise.all([lanes.run("w1", read("a", 4)), lanes.run("w1", read("b", 8)), lanes.run("w1", read("c", 2))]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await results).toEqual(["a", "b", "c"]);
    expect(starts.a).toEqual([t0]);
    expect(ends.a).toEqual([t0 + 4]);
    // a took 4 ms: b starts 12 ms after a ended; b took 8 ms: c starts 24 ms after b ended.
    expect(starts.b).toEqual([t0 + 4 + 12]);
    expect(starts.c).toEqual([t0 + 16 + 8 + 24]);
    // Over the whole burst the lane held the instance a quarter of the time (up to c's own pause).
    expect(ends.c![0]! - t0).toBe(4 + 12 + 8 + 24 + 2);
  });

  it("does not make another lane wait", async () => {
    const lanes = new FairShare({ share: 0.25, maxWaiting: 10, maxWaitMs: 10_000, now });
    const { starts, read } = recorder();
    const t0 = now();
    const busy = [lanes.run("w1", read("w1-first", 10)), lanes.run("w1", read("w1-second", 10))];
    const other = lanes.run("w2", read("w2", 1));
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([...busy, other]);
    expect(starts.w2).toEqual([t0]);
    expect(starts["w1-second"]).toEqual([t0 + 10 + 30]);
  });

  it("refuses one waiter more than maxWaiting with a 429 and Retry-After, and runs none of its work", async () => {
    const lanes = new FairShare({ share: 0.5, maxWaiting: 2, maxWaitMs: 10_000, now });
    const { starts, read } = recorder();
    const accepted = [
      lanes.run("w1", read("running", 1_000)),
      lanes.run("w1", read("waiting-1", 1)),
      lanes.run("w1", read("waiting-2", 1)),
    ];
    const refused = lanes.run("w1", read("refused", 1)).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(accepted);
    const error = await refused;
    expect(error).toBeInstanceOf(HeavyReadRefused);
    expect((error as HeavyReadRefused).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    const answered = toAppError(error);
    expect(answered.code).toBe("rate_limited");
    expect(answered.details.retryAfterSeconds).toBe((error as HeavyReadRefused).retryAfterSeconds);
    expect(answered.message).toMatch(/too many heavy requests \(analytics\) waiting on this server\. Try again in \d+ seconds?\./);
    expect(starts.refused).toBeUndefined();
    expect(Object.keys(starts)).toEqual(["running", "waiting-1", "waiting-2"]);
  });

  it("refuses a request that waited maxWaitMs, and the lane goes on with the ones behind it", async () => {
    const lanes = new FairShare({ share: 0.5, maxWaiting: 10, maxWaitMs: 1_500, now });
    const { starts, read } = recorder();
    const t0 = now();
    const first = lanes.run("w1", read("long", 1_000)); // then a pause of 1,000 ms: the next starts at t0 + 2,000
    const late = lanes.run("w1", read("late", 1)).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_400);
    const behind = lanes.run("w1", read("behind", 1));
    await vi.advanceTimersByTimeAsync(5_000);
    await first;
    expect(toAppError(await late).code).toBe("rate_limited");
    expect(starts.late).toBeUndefined();
    expect(starts.behind).toEqual([t0 + 2_000]);
    expect(await behind).toBe("behind");
  });

  it("passes a read's error on and frees the lane for the next one", async () => {
    const lanes = new FairShare({ share: 0.25, maxWaiting: 10, maxWaitMs: 10_000, now });
    const { starts, read } = recorder();
    const t0 = now();
    const failed = lanes.run("w1", read("fails", 2, true)).catch((error: unknown) => error);
    const next = lanes.run("w1", read("next", 2));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(((await failed) as Error).message).toBe("fails failed");
    expect(await next).toBe("next");
    expect(starts.next).toEqual([t0 + 2 + 6]);
  });

  it("forgets a lane once its pause is over, so idle workspaces hold no memory", async () => {
    const lanes = new FairShare({ share: 0.25, maxWaiting: 10, maxWaitMs: 10_000, now });
    const { read } = recorder();
    const done = Promise.all(Array.from({ length: 50 }, (_, i) => lanes.run(`w${i % 5}`, read(`r${i}`, 3))));
    expect(lanes.size).toBe(5);
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    expect(lanes.size).toBe(0);
  });

  it("with share 1 does not limit at all", async () => {
    const lanes = new FairShare({ share: 1, maxWaiting: 1, maxWaitMs: 1, now });
    const { starts, read } = recorder();
    const t0 = now();
    const all = Promise.all(Array.from({ length: 5 }, (_, i) => lanes.run("w1", read(`r${i}`, 10))));
    await vi.advanceTimersByTimeAsync(100);
    await all;
    expect(Object.values(starts).flat()).toEqual(Array(5).fill(t0));
    expect(lanes.size).toBe(0);
  });

  it("takes a share in (0, 1] only", () => {
    expect(() => new FairShare({ share: 0, maxWaiting: 1, maxWaitMs: 1 })).toThrow(RangeError);
    expect(() => new FairShare({ share: 1.5, maxWaiting: 1, maxWaitMs: 1 })).toThrow(RangeError);
  });
});

describe("HeavyReadRefused through toAppError", () => {
  it("is a 429 also when it comes from another bundle's copy of the class (recognised by name, not instanceof)", () => {
    const foreign = Object.assign(new Error("This workspace has too many heavy requests (analytics) waiting."), {
      name: "HeavyReadRefused",
      retryAfterSeconds: 7,
    });
    const answered = toAppError(foreign);
    expect(answered.code).toBe("rate_limited");
    expect(answered.status).toBe(429);
    expect(answered.details.retryAfterSeconds).toBe(7);
    expect(answered.message).toBe(foreign.message);
  });
});

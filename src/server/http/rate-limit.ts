import "server-only";
import { Redis } from "ioredis";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { config } from "@/server/config";
import { createPool, databaseSeemsReadOnly } from "@/server/db-pool";
import { AppError, tryAgainIn } from "./errors";

// Counters live where every instance sees them: Redis when REDIS_URL is set (no PostgreSQL write), otherwise
// PostgreSQL. In both, each instance leases points in blocks (one store call per block, see LeasedLimiter and
// docs/decisions/010-rate-limit-accuracy.md). Process memory only for the embedded single-process database.
//
// A shared store that does not answer must not slow the API down: every limiter falls back to its own memory
// counter the moment the store fails (refused, dropped, silent for REDIS_ANSWER_BUDGET_MS, read-only), and a
// background probe switches back once the store answers again. Meanwhile each instance limits alone.

/** How long a request waits for Redis before its limit is counted in memory instead (Redis answers in ~1 ms). */
export const REDIS_ANSWER_BUDGET_MS = 50;
/** How long ioredis waits for a command's answer, or for a connection. */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** How long the first requests after boot wait for Redis's first connection (or its first failure). */
const BOOT_BUDGET_MS = 1_000;
/** How often a store that failed is asked whether it answers again. */
const PROBE_INTERVAL_MS = 250;
/** Probes without an answer after which the Redis connection is replaced (a peer gone without a reset). */
const SILENT_PROBES_BEFORE_RECONNECT = 8;
/** How long an instance refuses a spent PostgreSQL counter before asking the store again. */
const REFUSAL_MEMORY_MS = 1_000;

/** Two calls without an answer within this long mark the store down (one may be a busy event loop). */
const SLOW_WINDOW_MS = 1_000;

/** A store call that got no answer within its budget. */
class SlowAnswer extends Error {}

// rate-limiter-flexible exports RateLimiterAbstract's type but not the class itself, which its limiters extend.
const LimiterBase = Object.getPrototypeOf(RateLimiterMemory) as typeof RateLimiterAbstract;

/** Whether a shared store answers. While it does not, limiters count in memory; a probe watches for its return. */
class StoreHealth {
  private up = false;
  private everUp = false;
  /** Settles at the store's first answer or first failure after boot. */
  private readonly firstVerdict: Promise<void>;
  private resolveFirstVerdict: () => void = () => {};
  private outageLogged = false;
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private probing = false;
  private silentProbes = 0;
  /** Calls waiting for the store, abandoned at once when it is found down. */
  private readonly waiting = new Set<(error: Error) => void>();

  constructor(
    private readonly name: string,
    private readonly probe: () => Promise<unknown>,
    private readonly onSilent?: () => void,
  ) {
    this.firstVerdict = new Promise((resolve) => (this.resolveFirstVerdict = resolve));
  }

  get usable(): boolean {
    return this.up;
  }

  private lastSlowAt = -Infinity;

  /** Records a call that got no answer within its budget; true when another did within the last second. */
  slowAgain(): boolean {
    const now = Date.now();
    const again = now - this.lastSlowAt < SLOW_WINDOW_MS;
    this.lastSlowAt = now;
    return again;
  }

  /**
   * Right after boot, until the store first connects or first fails: waits for that, at most `budgetMs` (a
   * refused connection fails within milliseconds; only a silent store costs the whole budget, once).
   */
  async booted(budgetMs: number): Promise<void> {
    if (this.up || this.everUp) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.firstVerdict, new Promise<void>((resolve) => (timer = setTimeout(resolve, budgetMs)))]);
    clearTimeout(timer);
    this.everUp = true;
  }

  markUp(): void {
    this.everUp = true;
    this.resolveFirstVerdict();
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    this.silentProbes = 0;
    if (!this.up && this.outageLogged) console.error(`[heyoo] rate limits: ${this.name} answers again, counters are shared again`);
    this.up = true;
    this.outageLogged = false;
  }

  markDown(error: unknown): void {
    this.resolveFirstVerdict();
    for (const abandon of this.waiting) abandon(error instanceof Error ? error : new Error(String(error)));
    this.waiting.clear();
    if (!this.up && this.outageLogged) return;
    this.up = false;
    this.outageLogged = true;
    console.error(
      `[heyoo] rate limits: ${this.name} unavailable (${error instanceof Error ? error.message : String(error)}); each instance counts in its own memory until it answers`,
    );
    this.probeTimer ??= setInterval(() => void this.probeOnce(), PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  /** Starts probing without logging an outage: the store was not reachable yet (boot). */
  watch(): void {
    if (this.up) return;
    this.probeTimer ??= setInterval(() => void this.probeOnce(), PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }

  private async probeOnce(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.call(this.probe, PROBE_INTERVAL_MS * 2);
      this.markUp();
    } catch {
      if (++this.silentProbes >= SILENT_PROBES_BEFORE_RECONNECT) {
        this.silentProbes = 0;
        this.onSilent?.();
      }
    } finally {
      this.probing = false;
    }
  }

  /** Runs a store call, given up on after `budgetMs`, or as soon as the store is found down by another call. */
  call<T>(run: () => Promise<T>, budgetMs?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (finish: () => void) => {
        if (!this.waiting.delete(abandon)) return;
        if (timer) clearTimeout(timer);
        finish();
      };
      const abandon = (error: Error) => settle(() => reject(error));
      this.waiting.add(abandon);
      // Decided in the check phase, after the poll phase has read what already arrived: a timer that fires
      // late because the event loop was busy must not take an answer sitting in the socket for silence.
      if (budgetMs) timer = setTimeout(() => setImmediate(() => abandon(new SlowAnswer(`no answer within ${budgetMs} ms`))), budgetMs);
      run().then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }
}

/**
 * A limiter on a shared store with each instance's memory as insurance: while the store answers, its counter;
 * when it fails or stays silent past the budget, the memory counter for this request and every request after,
 * until the store's health probe sees it answer again.
 */
class FailoverLimiter extends LimiterBase {
  private readonly memory: RateLimiterMemory;

  constructor(
    options: { keyPrefix: string; points: number; duration: number },
    private readonly store: RateLimiterAbstract,
    private readonly health: StoreHealth,
    private readonly budgetMs?: number,
  ) {
    super(options);
    this.memory = new RateLimiterMemory(options);
  }

  private async route<T>(operation: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    // The first requests after boot would otherwise be counted in memory while Redis is still connecting.
    if (this.budgetMs) await this.health.booted(BOOT_BUDGET_MS);
    if (!this.health.usable) return operation(this.memory);
    try {
      return await this.health.call(() => operation(this.store), this.budgetMs);
    } catch (error) {
      // A spent limit is an answer, not a failure.
      if (error instanceof RateLimiterRes) throw error;
      // One late answer (a busy machine) is answered from memory; a second within a second means silence.
      if (!(error instanceof SlowAnswer) || this.health.slowAgain()) this.health.markDown(error);
      return operation(this.memory);
    }
  }

  consume(key: string | number, points = 1, options = {}) {
    return this.route((limiter) => limiter.consume(key, points, options));
  }
  penalty(key: string | number, points = 1, options = {}) {
    return this.route((limiter) => limiter.penalty(key, points, options));
  }
  reward(key: string | number, points = 1, options = {}) {
    return this.route((limiter) => limiter.reward(key, points, options));
  }
  get(key: string | number, options = {}) {
    return this.route((limiter) => limiter.get(key, options));
  }
  set(key: string | number, points: number, secDuration: number, options = {}) {
    return this.route((limiter) => limiter.set(key, points, secDuration, options));
  }
  block(key: string | number, secDuration: number, options = {}) {
    return this.route((limiter) => limiter.block(key, secDuration, options));
  }
  delete(key: string | number, options = {}) {
    return this.route((limiter) => limiter.delete(key, options));
  }
}

/** Points an instance takes from the shared counter per write: a tenth of the limit. */
export function leaseSize(points: number): number {
  return Math.max(1, Math.floor(points / 10));
}

interface Lease {
  /** Points this instance took from the shared counter and has not used yet. */
  left: number;
  /** Points of the limit no instance has taken yet, as of this instance's last lease. */
  untaken: number;
  /** Epoch ms at which the shared counter's window ends. */
  expire: number;
  /** Epoch ms until which a spent counter is refused without asking the store. */
  refusedUntil: number;
}

/**
 * Where leases are taken: one atomic step that adds `ask` points to the window's demand (starting a window of
 * `durationMs` when there is none) and answers the demand with them and when the window ends (epoch ms).
 */
interface LeaseStore {
  take(rlKey: string, ask: number, now: number, durationMs: number): Promise<{ points: number; expire: number }>;
}

/** PostgreSQL: one upsert into rate-limiter-flexible's table (the row's points are the window's demand). */
function postgresLeases(client: pg.Pool): LeaseStore {
  return {
    async take(rlKey, ask, now, durationMs) {
      const { rows } = await client.query<{ points: number; expire: string }>({
        name: "heyoo-rate-limit-lease",
        text: `INSERT INTO "RateLimiterFlexible" AS r (key, points, expire) VALUES ($1, $2, $3)
               ON CONFLICT (key) DO UPDATE SET
                 points = CASE WHEN r.expire <= $4 THEN $2 ELSE r.points + $2 END,
                 expire = CASE WHEN r.expire <= $4 THEN $3 ELSE r.expire END
               RETURNING points, expire`,
        values: [rlKey, ask, now + durationMs, now],
      });
      return { points: rows[0]!.points, expire: Number(rows[0]!.expire) };
    },
  };
}

/**
 * Redis: one script in rate-limiter-flexible's layout (the key holds the demand, its TTL the window), so its
 * RateLimiterRedis reads and rewards the same counter.
 */
const REDIS_LEASE_SCRIPT = `
local points = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {points, ttl}`;

function redisLeases(client: Redis): LeaseStore {
  return {
    async take(rlKey, ask, now, durationMs) {
      const [points, ttl] = (await client.eval(REDIS_LEASE_SCRIPT, 1, rlKey, ask, durationMs)) as [number, number];
      return { points: Number(points), expire: now + Number(ttl) };
    },
  };
}

/**
 * A fixed-window limiter that writes its shared store once per lease instead of once per request: an instance
 * takes up to leaseSize(points) points from the shared counter in one atomic step and spends them from memory.
 * The counter is rate-limiter-flexible's (same key and window, in PostgreSQL's table or in Redis), so reward
 * and delete go through its own limiter (`exact`). Never more than `points` per window in total, over any
 * number of instances; a client whose requests move between instances may get less, by at most leaseSize - 1
 * per instance it stopped calling (docs/decisions/010-rate-limit-accuracy.md).
 */
export class LeasedLimiter extends LimiterBase {
  readonly lease: number;
  private readonly leases = new Map<string, Lease>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    options: { keyPrefix: string; points: number; duration: number },
    private readonly store: LeaseStore,
    private readonly exact: RateLimiterAbstract,
  ) {
    super(options);
    this.lease = leaseSize(options.points);
  }

  private result(lease: Lease, now: number): RateLimiterRes {
    return new RateLimiterRes(lease.untaken + lease.left, Math.max(0, lease.expire - now), this.points - lease.untaken - lease.left, false);
  }

  async consume(key: string | number, points = 1): Promise<RateLimiterRes> {
    const rlKey = this.getKey(key);
    for (;;) {
      const now = Date.now();
      let lease = this.leases.get(rlKey);
      if (lease && lease.expire <= now) {
        this.leases.delete(rlKey);
        lease = undefined;
      }
      if (lease && lease.left >= points) {
        lease.left -= points;
        return this.result(lease, now);
      }
      if (lease && lease.refusedUntil > now) throw this.result(lease, now);
      // One lease request per key at a time: concurrent requests wait for it, then spend from it.
      const inFlight = this.pending.get(rlKey);
      if (inFlight) {
        await inFlight;
        continue;
      }
      const request = this.takeLease(rlKey, points, lease?.left ?? 0);
      this.pending.set(
        rlKey,
        request.then(
          () => undefined,
          () => undefined,
        ),
      );
      try {
        await request;
      } finally {
        this.pending.delete(rlKey);
      }
      const taken = this.leases.get(rlKey)!;
      if (taken.left >= points) {
        taken.left -= points;
        return this.result(taken, Date.now());
      }
      throw this.result(taken, Date.now());
    }
  }

  /** One store step: adds the points asked for to the window's demand, and keeps what of it the limit grants. */
  private async takeLease(rlKey: string, points: number, left: number): Promise<void> {
    const ask = Math.max(points - left, this.lease);
    const now = Date.now();
    const row = await this.store.take(rlKey, ask, now, this.duration * 1000);
    const before = row.points - ask;
    const granted = Math.min(ask, Math.max(0, this.points - before));
    const expire = row.expire;
    const previous = this.leases.get(rlKey);
    // What was left of the previous lease counts only if it belongs to the same window. Windows of one key do
    // not overlap, so two ends less than half a window apart are the same end (Redis gives it to a few ms).
    const sameWindow = previous !== undefined && Math.abs(previous.expire - expire) < (this.duration * 1000) / 2;
    const total = (sameWindow ? previous.left : 0) + granted;
    this.leases.set(rlKey, {
      left: total,
      untaken: Math.max(0, this.points - before - granted),
      expire,
      // Spent: refuse from memory for a moment rather than write once per refused request.
      refusedUntil: total < points ? Math.min(expire, Date.now() + REFUSAL_MEMORY_MS) : 0,
    });
  }

  private forget<T>(key: string | number, result: Promise<T>): Promise<T> {
    this.leases.delete(this.getKey(key));
    return result;
  }

  penalty(key: string | number, points = 1, options = {}) {
    return this.forget(key, this.exact.penalty(key, points, options));
  }
  reward(key: string | number, points = 1, options = {}) {
    // The lease's unspent points stay this instance's; only the refusal memory is stale now.
    const lease = this.leases.get(this.getKey(key));
    if (lease) lease.refusedUntil = 0;
    return this.exact.reward(key, points, options);
  }
  get(key: string | number, options = {}) {
    return this.exact.get(key, options);
  }
  set(key: string | number, points: number, secDuration: number, options = {}) {
    return this.forget(key, this.exact.set(key, points, secDuration, options));
  }
  block(key: string | number, secDuration: number, options = {}) {
    return this.forget(key, this.exact.block(key, secDuration, options));
  }
  delete(key: string | number, options = {}) {
    return this.forget(key, this.exact.delete(key, options));
  }
}

interface SharedStores {
  heyooRateLimitRedis?: { client: Redis; health: StoreHealth };
  heyooRateLimitPostgres?: { pool: pg.Pool; health: StoreHealth };
}
const shared = globalThis as unknown as SharedStores;

function redis(url: string): { client: Redis; health: StoreHealth } {
  if (!shared.heyooRateLimitRedis) {
    const client = new Redis(url, {
      // Which instance a connection is, in Redis's CLIENT LIST (the key cache's listener does the same in PostgreSQL).
      connectionName: `heyoo-${process.pid}`,
      // Fail at once while disconnected instead of queueing until the reconnect (which made every request wait
      // 1-2 s during an outage); the memory counter answers meanwhile.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // A silent Redis: requests stopped waiting after REDIS_ANSWER_BUDGET_MS; this clears the command itself.
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // Reconnect within a second of Redis answering again.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    const health = new StoreHealth(
      "Redis",
      () => client.ping(),
      () => client.disconnect(true),
    );
    client.on("ready", () => health.markUp());
    client.on("close", () => health.markDown(new Error("connection closed")));
    // Every failed reconnect is an "error" event; the health logs one line per outage, not one per attempt.
    client.on("error", (error: Error) => health.markDown(error));
    health.watch();
    shared.heyooRateLimitRedis = { client, health };
  }
  return shared.heyooRateLimitRedis;
}

function postgres(): { pool: pg.Pool; health: StoreHealth } {
  if (!shared.heyooRateLimitPostgres) {
    const pool = createPool(2);
    // Back once the database takes writes again (src/server/db-pool.ts watches for that) and answers.
    const health = new StoreHealth("PostgreSQL", async () => {
      if (databaseSeemsReadOnly()) throw new Error("still read-only");
      await pool.query("SELECT 1");
    });
    health.markUp();
    shared.heyooRateLimitPostgres = { pool, health };
  }
  return shared.heyooRateLimitPostgres;
}

export function createLimiter(keyPrefix: string, points: number, durationSeconds: number): RateLimiterAbstract {
  const { REDIS_URL, EMBEDDED_DATABASE } = config();
  const options = { keyPrefix, points, duration: durationSeconds };
  if (REDIS_URL) {
    const { client, health } = redis(REDIS_URL);
    const exact = new RateLimiterRedis({ ...options, storeClient: client, rejectIfRedisNotReady: true });
    return new FailoverLimiter(options, new LeasedLimiter(options, redisLeases(client), exact), health, REDIS_ANSWER_BUDGET_MS);
  }
  if (EMBEDDED_DATABASE) return new RateLimiterMemory(options);
  const { pool, health } = postgres();
  // The table is created by the migrations (model RateLimiterFlexible).
  const exact = new RateLimiterPostgres({ ...options, storeClient: pool, tableName: "RateLimiterFlexible", tableCreated: true });
  return new FailoverLimiter(options, new LeasedLimiter(options, postgresLeases(pool), exact), health);
}

export function retryAfterSeconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export function rateLimited(res: RateLimiterRes, message: string): AppError {
  const seconds = retryAfterSeconds(res);
  return new AppError("rate_limited", `${message} ${tryAgainIn(seconds)}`, {
    retryAfterSeconds: seconds,
  });
}

/** Consumes `points`; returns the counter's state, or throws the 429 AppError when the limit is spent. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, message: string, points = 1): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, points);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error, message);
    throw error;
  }
}

import "server-only";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { config } from "@/server/config";
import { KeyCache, parseChange } from "./key-cache";

// Keeps every instance's key cache (key-cache.ts) in step with the database, and lets a process that changed
// a principal wait until every live instance has dropped what it cached. See docs/decisions/008-key-cache.md.
//
// - Triggers on "ApiKey", "Membership", "User" and "Workspace" NOTIFY `heyoo_principal` with what changed.
// - Each instance LISTENs on a connection of its own (not the Prisma pool: a pooled connection is handed
//   around and would miss notifications between uses) and beats a row of "CacheInstance" every second.
// - After a change commits, its process NOTIFYs a barrier on the same channel. Notifications reach every
//   listener in commit order, so an instance that acknowledges the barrier has applied the change before it.
//   The change returns once every instance with a fresh heartbeat has acknowledged, or after ACK_WAIT_MS.
// - An instance serves from its cache only while its last heartbeat sent less than TRUST_MS ago was answered.
//   TRUST_MS < ACK_WAIT_MS: an instance that could not hear a change (listener cut, partitioned, stalled) has
//   stopped trusting its cache by the time the change is acknowledged, and reads the database every time
//   until it has reconnected, LISTENed again and cleared its cache.
//
// Embedded mode (PGlite behind a socket, one process): the socket hands a notification to the connection
// that sent it rather than to the listener, so there is no listener; the one process clears its own cache
// after every change to a principal instead (it is the only instance).

export const CHANGE_CHANNEL = "heyoo_principal";
export const ACK_CHANNEL = "heyoo_principal_ack";
const HEARTBEAT_MS = 1_000;
const TRUST_MS = 1_800;
export const ACK_WAIT_MS = 2_000;
/** Whose acknowledgements a change waits for: instances whose heartbeat is at most this old. */
const LIVE_SECONDS = 3;
const RECONNECT_MS = [100, 250, 500, 1_000, 2_000];

interface Waiter {
  /** Instances still to acknowledge; null until the barrier's statement has answered with the live list. */
  pending: Set<string> | null;
  acked: Set<string>;
  done: () => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class PrincipalChanges {
  readonly instanceId = randomUUID();
  readonly cache: KeyCache;
  readonly embedded: boolean;
  private client: pg.Client | null = null;
  private listening = false;
  /** performance.now() when the latest answered heartbeat was sent. */
  private heartbeatSentAt = -Infinity;
  private starting: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private readonly waiters = new Map<string, Waiter>();

  constructor(options: { maxEntries: number; embedded: boolean }) {
    this.embedded = options.embedded;
    this.cache = new KeyCache(options.maxEntries, () => this.trusted());
  }

  /** Whether the cache may be served: always in embedded mode, else while the listener is proven alive. */
  trusted(): boolean {
    if (this.embedded) return !this.stopped;
    return this.listening && performance.now() - this.heartbeatSentAt < TRUST_MS;
  }

  /** Starts the listener once (later calls join or return at once); never throws. */
  start(): Promise<void> {
    if (this.embedded || this.stopped) return Promise.resolve();
    if (this.client) return this.starting ?? Promise.resolve();
    this.starting = this.connect().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async connect(): Promise<void> {
    const { DATABASE_URL, DATABASE_CONNECT_TIMEOUT_MS } = config();
    const client = new pg.Client({
      connectionString: DATABASE_URL,
      connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
      // A heartbeat that has not answered within TRUST_MS has already cost the cache its trust; give up on it.
      query_timeout: TRUST_MS,
      keepAlive: true,
      // Names the process, so that an operator (or the hard test that cuts it) can find this connection.
      application_name: `heyoo-key-cache-listener ${process.pid}`,
    });
    this.client = client;
    client.on("notification", (message) => this.onNotification(client, message));
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${ACK_CHANNEL}`);
      await client.query(`DELETE FROM "CacheInstance" WHERE "heartbeatAt" < (now() AT TIME ZONE 'UTC') - interval '1 hour'`);
      await this.beat(client);
      if (this.client !== client) return;
      // Whatever was cached before this connection LISTENed may be stale: start empty.
      this.cache.clear();
      this.listening = true;
      this.failures = 0;
      this.heartbeatTimer = setInterval(() => void this.beat(client).catch(() => this.lost(client)), HEARTBEAT_MS);
      this.heartbeatTimer.unref();
    } catch {
      this.lost(client);
    }
  }

  private async beat(client: pg.Client): Promise<void> {
    const sentAt = performance.now();
    await client.query(
      `INSERT INTO "CacheInstance" (id, "heartbeatAt") VALUES ($1, now() AT TIME ZONE 'UTC') ON CONFLICT (id) DO UPDATE SET "heartbeatAt" = EXCLUDED."heartbeatAt"`,
      [this.instanceId],
    );
    if (this.client === client) this.heartbeatSentAt = Math.max(this.heartbeatSentAt, sentAt);
  }

  /** The listener connection failed or ended: stop trusting the cache at once and reconnect. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    this.heartbeatSentAt = -Infinity;
    this.cache.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    client.end().catch(() => {});
    if (this.stopped) return;
    const delay = RECONNECT_MS[Math.min(this.failures, RECONNECT_MS.length - 1)]!;
    if (this.failures === 0)
      console.error("[heyoo] key cache: listener connection lost; authenticating from the database until it is back");
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.start();
    }, delay);
    this.reconnectTimer.unref();
  }

  private onNotification(client: pg.Client, message: pg.Notification): void {
    const payload = message.payload ?? "";
    if (message.channel === ACK_CHANNEL) {
      const [barrierId, instanceId] = payload.split(":");
      const waiter = barrierId ? this.waiters.get(barrierId) : undefined;
      if (!waiter || !instanceId) return;
      waiter.acked.add(instanceId);
      if (waiter.pending) {
        waiter.pending.delete(instanceId);
        if (waiter.pending.size === 0) waiter.done();
      }
      return;
    }
    if (message.channel !== CHANGE_CHANNEL) return;
    if (payload.startsWith("b:")) {
      // Every change committed before the barrier has been applied by now (notifications arrive in order).
      client.query("SELECT pg_notify($1, $2)", [ACK_CHANNEL, `${payload.slice(2)}:${this.instanceId}`]).catch(() => this.lost(client));
      return;
    }
    // An unreadable payload drops everything rather than risk keeping what it named.
    this.cache.invalidate(parseChange(payload) ?? { kind: "all" });
  }

  /**
   * Called after a change to a principal has committed and before it is acknowledged to its caller: returns
   * once every live instance has applied it, or after ACK_WAIT_MS (the instances that did not answer have
   * stopped serving from their cache by then). Never throws.
   */
  async awaitApplied(): Promise<void> {
    if (this.embedded) {
      this.cache.clear();
      return;
    }
    const deadline = performance.now() + ACK_WAIT_MS;
    if (!this.listening) await Promise.race([this.start(), sleep(deadline - performance.now())]);
    const client = this.client;
    if (!client || !this.listening) {
      // No way to send the barrier or hear acknowledgements: wait out the bound, after which every instance
      // has either applied the change or stopped trusting its cache.
      await sleep(deadline - performance.now());
      return;
    }
    const barrierId = randomUUID();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const waiter: Waiter = { pending: null, acked: new Set(), done };
    this.waiters.set(barrierId, waiter);
    try {
      const result = await client.query<{ ids: string[] }>(
        `SELECT pg_notify($1, $2), ARRAY(SELECT id FROM "CacheInstance" WHERE "heartbeatAt" > (now() AT TIME ZONE 'UTC') - make_interval(secs => $3)) AS ids`,
        [CHANGE_CHANNEL, `b:${barrierId}`, LIVE_SECONDS],
      );
      waiter.pending = new Set(result.rows[0]!.ids.filter((id) => !waiter.acked.has(id)));
      if (waiter.pending.size === 0) done();
      const answered = await Promise.race([finished.then(() => true), sleep(deadline - performance.now()).then(() => false)]);
      if (!answered) {
        console.error(
          `[heyoo] key cache: ${waiter.pending.size} instance(s) did not acknowledge a change within ${ACK_WAIT_MS} ms; they no longer serve from their cache`,
        );
      }
    } catch {
      await sleep(deadline - performance.now());
    } finally {
      this.waiters.delete(barrierId);
    }
  }

  /** Stops listening and unregisters (on disconnect and shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    this.cache.clear();
    if (!client) return;
    await client.query(`DELETE FROM "CacheInstance" WHERE id = $1`, [this.instanceId]).catch(() => {});
    await client.end().catch(() => {});
  }
}

// One per process, also across Next's dev-mode module reloads.
const globalForChanges = globalThis as unknown as { heyooPrincipalChanges?: PrincipalChanges };

export function principalChanges(): PrincipalChanges {
  globalForChanges.heyooPrincipalChanges ??= new PrincipalChanges({
    maxEntries: config().KEY_CACHE_MAX,
    embedded: config().EMBEDDED_DATABASE,
  });
  return globalForChanges.heyooPrincipalChanges;
}

/** For tests: forget the process's instance (after stop()), so that the next use starts a new one. */
export function resetPrincipalChanges(): void {
  delete globalForChanges.heyooPrincipalChanges;
}

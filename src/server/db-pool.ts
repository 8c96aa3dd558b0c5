import "server-only";
import pg from "pg";
import { config } from "./config";

// How both pools (Prisma's and the rate limiter's) talk to PostgreSQL when it does not answer. A refused or
// dropped connection fails at once; a connection that accepts but stays silent is given up on after
// DATABASE_CONNECT_TIMEOUT_MS, and a query that gets no answer after DATABASE_QUERY_TIMEOUT_MS. See
// docs/decisions/007-database-timeouts.md.
//
// A database that turns read-only (a failover in progress, maintenance, a standby not yet promoted) is noticed
// by the first write it refuses (SQLSTATE 25006): from then on a probe asks a fresh connection twice a second
// whether new sessions may write, and once they may, every connection opened meanwhile is replaced, since a
// session keeps the read-only default it started with (docs/decisions/010-rate-limit-accuracy.md).

const READ_TIMEOUT = "Query read timeout";
const READ_ONLY_SQLSTATE = "25006";
const WRITABLE_PROBE_MS = 500;

interface ReadOnlyState {
  /** Bumped when the database is found writable again: connections of an older generation are replaced. */
  generation: number;
  /** The probe's timer while the database is (or was last seen) read-only. */
  probe?: ReturnType<typeof setInterval>;
  probing: boolean;
  pools: Set<pg.Pool>;
}

// One state per process, also across Next's module copies (Prisma's pool and the rate limiter's share it).
const shared = globalThis as unknown as { heyooReadOnly?: ReadOnlyState };
const readOnly = (shared.heyooReadOnly ??= { generation: 0, probing: false, pools: new Set() });

/** True while a write was refused for read-only and the database was not yet seen writable again. */
export function databaseSeemsReadOnly(): boolean {
  return readOnly.probe !== undefined;
}

export function isReadOnlyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // pg reports the SQLSTATE as `code`; Prisma 7 wraps it as P2039 with the driver's error under meta.
  const adapterCause = (error as { meta?: { driverAdapterError?: { cause?: { code?: unknown } } } }).meta?.driverAdapterError?.cause;
  return (
    code === READ_ONLY_SQLSTATE ||
    adapterCause?.code === READ_ONLY_SQLSTATE ||
    /read-only transaction|read_only_sql_transaction|\b25006\b/.test(error.message)
  );
}

/** A write was refused because the database is read-only: watch for it to become writable again. */
function noticeReadOnly(): void {
  if (readOnly.probe) return;
  console.error("[heyoo] database is read-only: writes answer 503 until it accepts them again");
  readOnly.probe = setInterval(() => void probeWritable(), WRITABLE_PROBE_MS);
  readOnly.probe.unref();
}

async function probeWritable(): Promise<void> {
  if (readOnly.probing) return;
  readOnly.probing = true;
  const { DATABASE_URL, DATABASE_CONNECT_TIMEOUT_MS } = config();
  // A new session, as the pools would open: it starts with the database's current default.
  const client = new pg.Client({
    connectionString: DATABASE_URL,
    connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    query_timeout: 2_000,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ readOnly: string; recovery: boolean }>(
      `SELECT current_setting('transaction_read_only') AS "readOnly", pg_is_in_recovery() AS recovery`,
    );
    if (rows[0]?.readOnly === "off" && !rows[0].recovery) {
      clearInterval(readOnly.probe);
      readOnly.probe = undefined;
      readOnly.generation += 1;
      console.error("[heyoo] database accepts writes again: replacing the connections opened while it was read-only");
      for (const pool of readOnly.pools) recycleIdle(pool);
    }
  } catch {
    // Unreachable or still starting: the next tick asks again.
  } finally {
    readOnly.probing = false;
    void client.end().catch(() => {});
  }
}

type Tracked = pg.PoolClient & { heyooGeneration?: number; heyooCheckedOut?: boolean; connection?: { stream?: { destroy(): void } } };

function isStale(client: Tracked): boolean {
  return (client.heyooGeneration ?? 0) < readOnly.generation;
}

/**
 * Closes an idle connection the way a server restart does (the socket goes away): the pool sees an idle client
 * fail, drops it and opens a new one when needed. A checked-out client is left to finish its work.
 */
function dropIfIdleAndStale(client: Tracked): void {
  if (!client.heyooCheckedOut && isStale(client)) client.connection?.stream?.destroy();
}

const idleClients = new WeakMap<pg.Pool, Set<Tracked>>();

function recycleIdle(pool: pg.Pool): void {
  for (const client of idleClients.get(pool) ?? []) dropIfIdleAndStale(client);
}

type Callback = (error: Error | null, result?: unknown) => void;

/**
 * A pg client that closes its connection when a query times out. pg's query_timeout gives up on the answer but
 * keeps the connection, with the query still running and maybe a transaction still open; handed to the next
 * request, that connection's COMMIT could commit half of an operation that was answered as failed. Once
 * closed, the pool drops the client (it is no longer queryable), and the server rolls the transaction back
 * when the Terminate message reaches it. A write refused because the database is read-only starts the probe
 * that tells when it is writable again.
 */
class TimeoutSafeClient extends pg.Client {
  constructor(options?: string | pg.ClientConfig) {
    super(options);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    (this as unknown as Tracked).heyooGeneration = readOnly.generation;
    const onError = (error: unknown) => {
      if (error instanceof Error && error.message === READ_TIMEOUT) void this.end().catch(() => {});
      if (isReadOnlyError(error)) {
        // A session opened while the database was read-only, used once more before it could be replaced:
        // close it (the pool drops it when it comes back) rather than start watching all over again.
        if (isStale(this as unknown as Tracked)) void this.end().catch(() => {});
        else noticeReadOnly();
      }
    };
    this.query = ((...args: unknown[]) => {
      const last = args.at(-1);
      if (typeof last === "function") {
        const callback = last as Callback;
        args[args.length - 1] = (error: Error | null, result?: unknown) => {
          if (error) onError(error);
          callback(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.catch(onError);
      return result;
    }) as typeof this.query;
  }
}

/** Options of a pool on DATABASE_URL with the app's timeouts; `options`: the server settings of its sessions ("-c name=value"). */
export function poolOptions(max: number, options?: string): pg.PoolConfig {
  const { DATABASE_URL, DATABASE_CONNECT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS } = config();
  return {
    connectionString: DATABASE_URL,
    max,
    ...(options ? { options } : {}),
    connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    query_timeout: DATABASE_QUERY_TIMEOUT_MS,
    Client: TimeoutSafeClient as unknown as pg.PoolConfig["Client"],
  };
}

/**
 * A pool on DATABASE_URL with the app's timeouts whose connections are replaced once a read-only database is
 * writable again: idle ones at once, checked-out ones as soon as they are given back.
 */
export function createPool(max: number, options?: string): pg.Pool {
  const pool = new pg.Pool(poolOptions(max, options));
  const idle = new Set<Tracked>();
  idleClients.set(pool, idle);
  pool.on("acquire", (client: Tracked) => {
    client.heyooCheckedOut = true;
    idle.delete(client);
  });
  pool.on("release", (_error: Error | undefined, client: Tracked) => {
    client.heyooCheckedOut = false;
    idle.add(client);
    // After the pool has put it back (or handed it straight to a waiting request, which marks it checked out).
    if (isStale(client)) setImmediate(() => dropIfIdleAndStale(client));
  });
  pool.on("remove", (client: Tracked) => idle.delete(client));
  // An idle connection dropped by the server (restart, failover, or our own replacement above): unheard, the
  // pool's "error" event would be an uncaught exception. The pool opens a new connection when needed.
  pool.on("error", (error, client) => {
    if (!isStale(client as Tracked)) console.error("[heyoo] database connection dropped:", error.message);
  });
  readOnly.pools.add(pool);
  return pool;
}

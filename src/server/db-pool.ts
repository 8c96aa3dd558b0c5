import pg from "pg";
import { config } from "./config";

// How both pools (Prisma's and the rate limiter's) talk to PostgreSQL when it does not answer. A refused or
// dropped connection fails at once; a connection that accepts but stays silent is given up on after
// DATABASE_CONNECT_TIMEOUT_MS, and a query that gets no answer after DATABASE_QUERY_TIMEOUT_MS. See
// docs/decisions/007-database-timeouts.md.

const READ_TIMEOUT = "Query read timeout";

type Callback = (error: Error | null, result?: unknown) => void;

/**
 * A pg client that closes its connection when a query times out. pg's query_timeout gives up on the answer but
 * keeps the connection, with the query still running and maybe a transaction still open; handed to the next
 * request, that connection's COMMIT could commit half of an operation that was answered as failed. Once
 * closed, the pool drops the client (it is no longer queryable), and the server rolls the transaction back
 * when the Terminate message reaches it.
 */
class TimeoutSafeClient extends pg.Client {
  constructor(options?: string | pg.ClientConfig) {
    super(options);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const closeOnTimeout = (error: unknown) => {
      if (error instanceof Error && error.message === READ_TIMEOUT) void this.end().catch(() => {});
    };
    this.query = ((...args: unknown[]) => {
      const last = args.at(-1);
      if (typeof last === "function") {
        const callback = last as Callback;
        args[args.length - 1] = (error: Error | null, result?: unknown) => {
          if (error) closeOnTimeout(error);
          callback(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise) result.catch(closeOnTimeout);
      return result;
    }) as typeof this.query;
  }
}

/** Options of a pool on DATABASE_URL with the app's timeouts. */
export function poolOptions(max: number): pg.PoolConfig {
  const { DATABASE_URL, DATABASE_CONNECT_TIMEOUT_MS, DATABASE_QUERY_TIMEOUT_MS } = config();
  return {
    connectionString: DATABASE_URL,
    max,
    connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    query_timeout: DATABASE_QUERY_TIMEOUT_MS,
    Client: TimeoutSafeClient as unknown as pg.PoolConfig["Client"],
  };
}

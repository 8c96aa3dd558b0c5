import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

/** Where a request came from, as the audit log records it. */
export interface RequestClient {
  ip: string;
  userAgent: string | null;
}

const UNKNOWN: RequestClient = { ip: "unknown", userAgent: null };
const storage = new AsyncLocalStorage<RequestClient>();

/** Runs `fn` with the request's client known to everything it calls (both doors set it). */
export function withRequestClient<T>(client: RequestClient, fn: () => Promise<T>): Promise<T> {
  return storage.run(client, fn);
}

/** The current request's client; "unknown" outside a request (scripts, tests calling services directly). */
export function requestClient(): RequestClient {
  return storage.getStore() ?? UNKNOWN;
}

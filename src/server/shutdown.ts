// The process's shutdown hooks: work that must be finished before the process exits, such as writing out what
// a module batches in memory (last-used times of keys). `onShutdown(fn)` registers; on SIGTERM the server
// stops taking connections, lets the requests in flight finish, then runs every hook (together, bounded) and
// exits (src/server/shutdown-signal.ts). Hooks still have the database: the pools, registered with
// `onClose(fn)`, are closed after them. This module imports nothing, so the start-up hook can load it.

export type ShutdownHook = () => unknown;

interface ShutdownState {
  hooks: ShutdownHook[];
  closers: ShutdownHook[];
  shuttingDown: boolean;
}

// On globalThis under a registered symbol: Next bundles instrumentation and the route handlers separately, and
// a module-level array could exist once per bundle; this one exists once per process.
const KEY = Symbol.for("heyoo.shutdown");
const globalState = globalThis as unknown as { [KEY]?: ShutdownState };
const state = (): ShutdownState => (globalState[KEY] ??= { hooks: [], closers: [], shuttingDown: false });

/** Runs `fn` once when the process shuts down. Returns a function that unregisters it. */
export function onShutdown(fn: ShutdownHook): () => void {
  state().hooks.push(fn);
  return () => {
    const hooks = state().hooks;
    const at = hooks.indexOf(fn);
    if (at >= 0) hooks.splice(at, 1);
  };
}

/** Runs `fn` after every shutdown hook has settled: for what the hooks still need, such as a database pool. */
export function onClose(fn: ShutdownHook): void {
  state().closers.push(fn);
}

/** Closes what `onClose` registered, all at once; gives up waiting after `timeoutMs`. */
export async function closeResources(timeoutMs: number): Promise<void> {
  const closers = state().closers.splice(0);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled(closers.map(async (close) => close())),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}

/** True from SIGTERM on: readiness answers 503 so that load balancers stop sending requests here. */
export function isShuttingDown(): boolean {
  return state().shuttingDown;
}

export function markShuttingDown(): void {
  state().shuttingDown = true;
}

export interface ShutdownReport {
  ran: number;
  failed: number;
  /** Hooks still running when the bound was reached. */
  unfinished: number;
}

/** Runs every registered hook at once; resolves when all have settled or after `timeoutMs`, whichever is first. */
export async function runShutdownHooks(timeoutMs = 10_000): Promise<ShutdownReport> {
  const hooks = state().hooks.splice(0);
  let settled = 0;
  let failed = 0;
  const runs = hooks.map(async (hook) => {
    try {
      await hook();
    } catch (error) {
      failed++;
      console.error("[heyoo] a shutdown hook failed:", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    } finally {
      settled++;
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(runs), bound]);
  clearTimeout(timer);
  return { ran: settled - failed, failed, unfinished: hooks.length - settled };
}

import { config } from "./config";
import { closeResources, markShuttingDown, runShutdownHooks } from "./shutdown";

// Graceful stop on SIGTERM for `node .next/standalone/server.js` (what `npm start`, the hard tests and any Node
// host run). Next's own SIGTERM handler (next/dist/server/lib/start-server.js) closes the HTTP server, so that no
// new connection is accepted and the requests in flight finish, closes Next's server, and then calls
// process.exit(143). We run first (prepended) and take over that final exit: once Next has drained, the
// shutdown hooks run (bounded), the database pools close, and the process exits 0. Without Next's handler (next
// dev), or if draining takes longer than SHUTDOWN_DRAIN_TIMEOUT_MS, the hooks run anyway.

const HOOKS_TIMEOUT_MS = 10_000;
const INSTALLED = Symbol.for("heyoo.shutdown.signal");

export function installShutdownHandler(): void {
  const flags = globalThis as unknown as { [INSTALLED]?: boolean };
  if (flags[INSTALLED]) return;
  flags[INSTALLED] = true;
  process.prependOnceListener("SIGTERM", () => void shutDown());
}

async function shutDown(): Promise<void> {
  markShuttingDown();
  const started = Date.now();
  console.log("[heyoo] SIGTERM: no new connections; finishing the requests in flight");
  const exit = process.exit.bind(process);
  const othersHandleIt = process.listenerCount("SIGTERM") > 0;
  const drained = new Promise<void>((resolve) => {
    // Next calls this when its server has closed; the process exits below instead, after the hooks.
    process.exit = (() => resolve()) as unknown as typeof process.exit;
    if (!othersHandleIt) resolve();
  });
  const drainTimeout = new Promise<"timeout">((resolve) =>
    setTimeout(() => resolve("timeout"), config().SHUTDOWN_DRAIN_TIMEOUT_MS).unref(),
  );
  if ((await Promise.race([drained, drainTimeout])) === "timeout") {
    console.error(`[heyoo] requests still in flight after ${config().SHUTDOWN_DRAIN_TIMEOUT_MS} ms; shutting down anyway`);
  }
  const report = await runShutdownHooks(HOOKS_TIMEOUT_MS);
  console.log(
    `[heyoo] shutdown hooks: ${report.ran} ran, ${report.failed} failed, ${report.unfinished} unfinished after ${HOOKS_TIMEOUT_MS} ms`,
  );
  await closeResources(2_000);
  console.log(`[heyoo] stopped after ${Date.now() - started} ms`);
  exit(report.failed || report.unfinished ? 1 : 0);
}

// Preloaded into a server under test with NODE_OPTIONS="--require …/shutdown-probe.cjs" (never in production):
// registers one shutdown hook through the registry's process-wide slot (src/server/shutdown.ts), which logs a
// line the test looks for, after checking that the database is still there for hooks to use.
const KEY = Symbol.for("heyoo.shutdown");
globalThis[KEY] ??= { hooks: [], closers: [], shuttingDown: false };
globalThis[KEY].hooks.push(async function probe() {
  await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(`[probe] shutdown hook ran at ${Date.now()}`);
});

// What must happen before the process exits: flushes of what is batched in memory (last-used times). The
// SIGTERM handler runs these once the server has stopped taking requests.

type Hook = () => Promise<void> | void;

const globalForShutdown = globalThis as unknown as { heyooShutdownHooks?: Set<Hook> };
const hooks = (globalForShutdown.heyooShutdownHooks ??= new Set<Hook>());

/** Registers `fn` to run at shutdown (once per function, however often it is registered). */
export function onShutdown(fn: Hook): void {
  hooks.add(fn);
}

/** Runs every hook, all at once; a failing hook is logged and does not stop the others. */
export async function runShutdownHooks(): Promise<void> {
  await Promise.all(
    [...hooks].map(async (hook) => {
      try {
        await hook();
      } catch (error) {
        console.error(`[heyoo] shutdown hook failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

// Runs once when a server instance starts (Next.js instrumentation hook).
export async function register() {
  // The Node runtime only: the Edge runtime (the proxy) has no process signals.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installShutdownHandler } = await import("./server/shutdown-signal");
    installShutdownHandler();
  }
}

// Runs once when a server process starts (Next.js instrumentation hook).
export async function register() {
  // The Node server only: the edge runtime (the proxy) has neither Node's HTTP server nor process signals.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // A closed stdout or stderr loses log lines, never the server (src/server/log-streams.ts).
  const { surviveClosedLogStreams } = await import("@/server/log-streams");
  surviveClosedLogStreams();
  // Dot segments are refused before Next normalises the URL (src/server/http/raw-path-guard.ts).
  const { installRawPathGuard } = await import("@/server/http/raw-path-guard");
  installRawPathGuard();
  // SIGTERM: stop taking connections, finish the requests in flight, run the shutdown hooks.
  const { installShutdownHandler } = await import("./server/shutdown-signal");
  installShutdownHandler();
}

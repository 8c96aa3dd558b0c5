// Runs once when a server process starts (Next.js instrumentation hook).
export async function register() {
  // The Node server only: the guard filters Node's HTTP server, which the edge runtime does not have.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installRawPathGuard } = await import("@/server/http/raw-path-guard");
  installRawPathGuard();
}

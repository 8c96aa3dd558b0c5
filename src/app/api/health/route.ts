// Liveness for load balancers and orchestrators: the process is up and serving HTTP. No database, no auth, so a
// database outage does not get healthy instances restarted (readiness, /api/health/ready, reports that).
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}

import { checkReadiness } from "@/server/health";
import { AppError } from "@/server/http/errors";
import { problemResponse } from "@/server/http/problem";

// Readiness for load balancers: 200 when this instance can take requests; 503 problem+json saying why not
// (shutting down, database not answering, migrations of this build not applied).
export async function GET() {
  const readiness = await checkReadiness();
  if (!readiness.ready) return problemResponse(new AppError("service_unavailable", readiness.reason, { retryAfterSeconds: 5 }));
  return Response.json({ status: "ready", migrations: readiness.migrations }, { headers: { "cache-control": "no-store" } });
}

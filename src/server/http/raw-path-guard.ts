import { randomUUID } from "node:crypto";
import http from "node:http";
import { AppError } from "./errors";
import { problemBody } from "./problem";
import { isUnsafeApiPath } from "./raw-path";

const INSTALLED = Symbol.for("heyoo.rawPathGuard");

/**
 * Refuses /api requests whose raw target has dot segments with a problem+json 404, before Next.js sees them.
 * Next resolves dot segments while parsing the URL, ahead of routing and of proxy.ts (see raw-path.ts), and
 * offers no hook in between; the only place the raw target still exists is the Node request itself. So the
 * server's "request" event is filtered: the one Node-level seam that every way of running the app (next dev,
 * next start, .next/standalone/server.js) goes through. Installed once per process, from instrumentation.ts.
 */
export function installRawPathGuard(): void {
  const proto = http.Server.prototype as unknown as Record<symbol, boolean> & { emit: http.Server["emit"] };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit;
  proto.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      if (isUnsafeApiPath(request.url ?? "")) {
        refuse(response);
        return true;
      }
    }
    return (emit as (...all: unknown[]) => boolean).call(this, event, ...args);
  } as http.Server["emit"];
}

function refuse(response: http.ServerResponse): void {
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(new AppError("not_found", "No such endpoint: the path has a dot segment."), requestId));
  response.writeHead(404, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-request-id": requestId,
  });
  response.end(body);
}

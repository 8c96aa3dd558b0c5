import { randomUUID } from "node:crypto";
import http from "node:http";
import { allowedMethods } from "@/server/api/allowed-methods";
import { peerHeader } from "./client-ip";
import { AppError } from "./errors";
import { problemBody } from "./problem";
import { apiPathOf, isUnsafeApiPath } from "./raw-path";

/** The methods Next.js can hand to proxy.ts and route handlers; for any other (TRACE, CONNECT, …) it answers 500. */
const NEXT_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const INSTALLED = Symbol.for("heyoo.rawPathGuard");

/**
 * Refuses /api requests whose raw target has dot segments with a problem+json 404, before Next.js sees them,
 * and answers a method Next.js cannot represent (TRACE, CONNECT, …: it would answer 500) with the API's 405.
 * Next resolves dot segments while parsing the URL, ahead of routing and of proxy.ts (see raw-path.ts), and
 * offers no hook in between; the only place the raw target still exists is the Node request itself. So the
 * server's "request" event is filtered: the one Node-level seam that every way of running the app (next dev,
 * next start, .next/standalone/server.js) goes through. Installed once per process, from instrumentation.ts.
 * It also hands the socket's peer address to the handlers (client-ip.ts), which Next.js does not.
 */
export function installRawPathGuard(): void {
  const proto = http.Server.prototype as unknown as Record<symbol, boolean> & { emit: http.Server["emit"] };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit;
  proto.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
      // The socket's peer, for client-ip.ts: the only address a client cannot choose.
      const [name, value] = peerHeader(request.socket.remoteAddress);
      request.headers[name] = value;
      const target = request.url ?? "";
      if (isUnsafeApiPath(target)) {
        refuse(response, new AppError("not_found", "No such endpoint: the path has a dot segment."));
        return true;
      }
      const apiPath = apiPathOf(target);
      if (apiPath !== null && !NEXT_METHODS.has(request.method ?? "")) {
        const allowed = allowedMethods(apiPath);
        if (!allowed) refuse(response, new AppError("not_found", "No such endpoint."));
        else
          refuse(response, new AppError("method_not_allowed", `This path does not answer ${request.method}. Use ${allowed.join(", ")}.`), {
            allow: allowed.join(", "),
          });
        return true;
      }
    }
    return (emit as (...all: unknown[]) => boolean).call(this, event, ...args);
  } as http.Server["emit"];
}

function refuse(response: http.ServerResponse, error: AppError, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(error, requestId));
  response.writeHead(error.status, {
    ...headers,
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-request-id": requestId,
  });
  response.end(body);
}

import { randomUUID } from "node:crypto";
import { clientIp } from "./client-ip";
import { withRequestClient } from "./request-context";
import { assertSameOrigin } from "./same-origin";
import { problemResponse } from "./problem";
import { readJson } from "./read-json";
import { toAppError } from "./to-app-error";

/**
 * Wraps the browser's cookie-setting JSON endpoints (sign in, sign up): same-origin check, JSON body, the
 * client's address and user agent for the audit log, problem+json on any error.
 */
export function accountRoute(handler: (body: unknown, request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const requestId = randomUUID();
    try {
      assertSameOrigin(request);
      const body = await readJson(request);
      // A sign-up from an invite link joins a workspace: its audit log records from where.
      const client = { ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
      return await withRequestClient(client, () => handler(body, request));
    } catch (error) {
      return problemResponse(toAppError(error), requestId);
    }
  };
}

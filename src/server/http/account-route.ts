import { randomUUID } from "node:crypto";
import { assertSameOrigin } from "./same-origin";
import { problemResponse } from "./problem";
import { readJson } from "./read-json";
import { toAppError } from "./to-app-error";

/**
 * Wraps the browser's cookie-setting JSON endpoints (sign in, sign up): same-origin check, JSON body,
 * problem+json on any error.
 */
export function accountRoute(handler: (body: unknown, request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const requestId = randomUUID();
    try {
      assertSameOrigin(request);
      return await handler(await readJson(request), request);
    } catch (error) {
      return problemResponse(toAppError(error), requestId);
    }
  };
}

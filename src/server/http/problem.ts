import { randomUUID } from "node:crypto";
import type { AppError } from "./errors";

// RFC 9457 problem details. `code` is the stable machine-readable name; `detail` is for people.
const TITLES: Record<string, string> = {
  bad_request: "Bad request",
  unauthorized: "Unauthorized",
  missing_api_key: "Unauthorized",
  malformed_api_key: "Unauthorized",
  invalid_api_key: "Unauthorized",
  expired_api_key: "Unauthorized",
  api_key_in_query: "Bad request",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  unprocessable_entity: "Invalid request",
  rate_limited: "Too many requests",
  internal_error: "Internal server error",
  service_unavailable: "Service unavailable",
};

export function problemBody(error: AppError, requestId: string) {
  const { requiredPermission, fieldErrors } = error.details;
  return {
    type: `https://docs.heyoo.ai/errors#${error.code}`,
    title: TITLES[error.code] ?? error.code,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(requiredPermission ? { requiredPermission } : {}),
    ...(fieldErrors ? { errors: fieldErrors } : {}),
    requestId,
  };
}

export function problemResponse(error: AppError, requestId: string = randomUUID(), headers: HeadersInit = {}): Response {
  const response = Response.json(problemBody(error, requestId), {
    status: error.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "x-request-id": requestId,
      ...error.details.headers,
      ...headers,
    },
  });
  if (error.details.retryAfterSeconds !== undefined) {
    response.headers.set("retry-after", String(error.details.retryAfterSeconds));
  }
  return response;
}

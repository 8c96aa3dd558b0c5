import { randomUUID } from "node:crypto";
import {
  PROBLEM_DETAIL_MAX_LENGTH,
  PROBLEM_FIELD_MAX_LENGTH,
  PROBLEM_MESSAGE_MAX_LENGTH,
  PROBLEM_MESSAGES_PER_FIELD,
} from "@/server/api/common-schemas";
import { ERRORS, type AppError, type ErrorCode, type FieldErrors } from "./errors";

// RFC 9457 problem details. `code` is the stable machine-readable name; `detail` is for people.

/** Where a code is explained: an anchor on this deployment's own /docs/api page, so self-hosted installs resolve it. */
export function problemType(code: ErrorCode): string {
  return `/docs/api#${errorAnchor(code)}`;
}

export function errorAnchor(code: ErrorCode): string {
  return `error-${code}`;
}

function clamp(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The field errors within the bounds the document states (problemSchema): a long list is cut, not refused. */
function boundedFieldErrors(fieldErrors: FieldErrors): FieldErrors {
  const bounded: FieldErrors = Object.create(null) as FieldErrors;
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const name = clamp(field, PROBLEM_FIELD_MAX_LENGTH);
    bounded[name] = [...(bounded[name] ?? []), ...messages]
      .slice(0, PROBLEM_MESSAGES_PER_FIELD)
      .map((message) => clamp(message, PROBLEM_MESSAGE_MAX_LENGTH));
  }
  return bounded;
}

export function problemBody(error: AppError, requestId: string) {
  const { requiredPermission, fieldErrors } = error.details;
  return {
    type: problemType(error.code),
    title: ERRORS[error.code].title,
    status: error.status,
    code: error.code,
    detail: clamp(error.message, PROBLEM_DETAIL_MAX_LENGTH),
    ...(requiredPermission ? { requiredPermission } : {}),
    ...(fieldErrors ? { errors: boundedFieldErrors(fieldErrors) } : {}),
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

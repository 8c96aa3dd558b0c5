import { randomUUID } from "node:crypto";
import {
  PROBLEM_DETAIL_MAX_LENGTH,
  PROBLEM_FIELD_MAX_LENGTH,
  PROBLEM_MESSAGE_MAX_LENGTH,
  PROBLEM_MESSAGES_PER_FIELD,
} from "@/server/api/common-schemas";
import type { AppError, ErrorCode, FieldErrors } from "./errors";

// RFC 9457 problem details. `code` is the stable machine-readable name; `detail` is for people.

export interface ErrorDoc {
  title: string;
  /** What the code means, for the error list on /docs/api. */
  meaning: string;
  /** What the caller should do about it. */
  action: string;
}

/** One entry per code of ERROR_STATUS (the type makes a new code without one fail to compile). */
export const ERROR_DOCS: Record<ErrorCode, ErrorDoc> = {
  bad_request: {
    title: "Bad request",
    meaning: "The request cannot be handled as sent, e.g. a browser session call without ?workspace=<slug>.",
    action: "Read `detail`, fix the request and send it again.",
  },
  unauthorized: {
    title: "Unauthorized",
    meaning: "The request needs a signed-in user or an API key and has neither that is valid.",
    action: "Sign in again, or send `Authorization: Bearer hey_…`.",
  },
  missing_api_key: {
    title: "Unauthorized",
    meaning: "No API key was sent.",
    action: "Send the header `Authorization: Bearer hey_…`.",
  },
  malformed_api_key: {
    title: "Unauthorized",
    meaning: "The Authorization header does not hold a Heyoo key (`hey_…`).",
    action: "Check that the whole key was copied, with no quotes or spaces.",
  },
  invalid_api_key: {
    title: "Unauthorized",
    meaning: "No key with this secret exists: it was deleted, or never existed.",
    action: "Create a key under Settings → API Keys.",
  },
  expired_api_key: {
    title: "Unauthorized",
    meaning: "The key passed its expiry date.",
    action: "Create a new key; an expired key cannot be extended.",
  },
  api_key_in_query: {
    title: "Bad request",
    meaning: "An API key was sent in the URL, where it ends up in logs and browser history.",
    action: "Send it in the Authorization header instead, and rotate the key.",
  },
  forbidden: {
    title: "Forbidden",
    meaning: "The key or user lacks the permission named in `requiredPermission`.",
    action: "Use a key that holds that permission, or ask a workspace owner for it.",
  },
  not_found: {
    title: "Not found",
    meaning: "No such resource or endpoint in this workspace (another workspace's resources answer this too).",
    action: "Check the id and the path; a path with dot segments (`..`, `%2e%2e`) is never routed.",
  },
  method_not_allowed: {
    title: "Method not allowed",
    meaning: "The path exists but does not answer this HTTP method.",
    action: "Use one of the methods in the `Allow` header.",
  },
  conflict: {
    title: "Conflict",
    meaning: "The change conflicts with the current state, e.g. a name or hostname that is taken.",
    action: "Read `detail`, fetch the current state and choose another value.",
  },
  payload_too_large: {
    title: "Payload too large",
    meaning: "The request body is larger than the operation accepts.",
    action: "Send a smaller body, e.g. fewer events per request.",
  },
  unsupported_media_type: {
    title: "Unsupported media type",
    meaning: "The request body is not JSON.",
    action: "Send `Content-Type: application/json` with a JSON body.",
  },
  unprocessable_entity: {
    title: "Invalid request",
    meaning: "Fields of the body or query are invalid, missing or unknown; `errors` lists them by field.",
    action: "Fix the fields named in `errors` and send the request again.",
  },
  rate_limited: {
    title: "Too many requests",
    meaning: "The rate limit is spent.",
    action: "Wait the seconds in `Retry-After`, then retry.",
  },
  internal_error: {
    title: "Internal server error",
    meaning: "Something failed on the server's side; nothing about it is in the answer.",
    action: "Retry later; if it persists, quote `requestId` to the server's operator.",
  },
  service_unavailable: {
    title: "Service unavailable",
    meaning: "A service the server depends on (the database) is not answering for now.",
    action: "Wait the seconds in `Retry-After`, then retry.",
  },
};

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
    title: ERROR_DOCS[error.code].title,
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

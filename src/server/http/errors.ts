// The one error type of the server. Services throw it; the route wrapper and the Server Action helper turn
// it into application/problem+json or a form state. Anything else that escapes is a bug: it is logged and
// answered with a generic 500 that carries no detail.

/**
 * Every error code the server answers, in one table: its HTTP status, and what /docs/api says of it (the
 * problem+json `title`, what the code means, what the caller should do).
 */
export const ERRORS = {
  bad_request: {
    status: 400,
    title: "Bad request",
    meaning: "The request cannot be handled as sent, e.g. a browser session call without ?workspace=<slug>.",
    action: "Read `detail`, fix the request and send it again.",
  },
  unauthorized: {
    status: 401,
    title: "Unauthorized",
    meaning: "The request needs a signed-in user or an API key and has neither that is valid.",
    action: "Sign in again, or send `Authorization: Bearer hey_…`.",
  },
  missing_api_key: {
    status: 401,
    title: "Unauthorized",
    meaning: "No API key was sent.",
    action: "Send the header `Authorization: Bearer hey_…`.",
  },
  malformed_api_key: {
    status: 401,
    title: "Unauthorized",
    meaning: "The Authorization header does not hold a Heyoo key (`hey_…`).",
    action: "Check that the whole key was copied, with no quotes or spaces.",
  },
  invalid_api_key: {
    status: 401,
    title: "Unauthorized",
    meaning: "No key with this secret exists: it was deleted, or never existed.",
    action: "Create a key under Settings → API Keys.",
  },
  leaked_api_key: {
    status: 401,
    title: "Unauthorized",
    meaning: "The key was found in public (by GitHub secret scanning, or reported to the revocation endpoint) and revoked.",
    action: "Create a new key, or roll this one under Settings → API Keys, and keep it out of code and logs.",
  },
  expired_api_key: {
    status: 401,
    title: "Unauthorized",
    meaning: "The key passed its expiry date, or it was rolled and its grace period is over (`detail` says which).",
    action: "Use the key that replaced it, or create a new one; an expired key cannot be extended.",
  },
  invalid_signature: {
    status: 401,
    title: "Unauthorized",
    meaning:
      "A secret scanning report without a valid signature: a signature header is missing, the signature does not match the body, or no key of GitHub's has the identifier sent (or GitHub's keys could not be loaded).",
    action:
      "Send the body exactly as signed, with `Github-Public-Key-Identifier` and `Github-Public-Key-Signature`; GitHub retries by itself.",
  },
  api_key_in_query: {
    status: 400,
    title: "Bad request",
    meaning: "An API key was sent in the URL, where it ends up in logs and browser history.",
    action: "Send it in the Authorization header instead, and rotate the key.",
  },
  forbidden: {
    status: 403,
    title: "Forbidden",
    meaning: "The key or user lacks the permission named in `requiredPermission`.",
    action: "Use a key that holds that permission, or ask a workspace owner for it.",
  },
  ip_not_allowed: {
    status: 403,
    title: "Forbidden",
    meaning: "The key has an IP allowlist, and the request came from an address outside it; `detail` names the address seen.",
    action: "Send the request from an allowed address, or add this one to the key's allowlist.",
  },
  not_found: {
    status: 404,
    title: "Not found",
    meaning: "No such resource or endpoint in this workspace (another workspace's resources answer this too).",
    action: "Check the id and the path; a path with dot segments (`..`, `%2e%2e`) is never routed.",
  },
  method_not_allowed: {
    status: 405,
    title: "Method not allowed",
    meaning: "The path exists but does not answer this HTTP method.",
    action: "Use one of the methods in the `Allow` header.",
  },
  conflict: {
    status: 409,
    title: "Conflict",
    meaning: "The change conflicts with the current state, e.g. a name or hostname that is taken.",
    action: "Read `detail`, fetch the current state and choose another value.",
  },
  payload_too_large: {
    status: 413,
    title: "Payload too large",
    meaning: "The request body is larger than the operation accepts.",
    action: "Send a smaller body, e.g. fewer events per request.",
  },
  unsupported_media_type: {
    status: 415,
    title: "Unsupported media type",
    meaning: "The request body is not JSON.",
    action: "Send `Content-Type: application/json` with a JSON body.",
  },
  unprocessable_entity: {
    status: 422,
    title: "Invalid request",
    meaning: "Fields of the body or query are invalid, missing or unknown; `errors` lists them by field.",
    action: "Fix the fields named in `errors` and send the request again.",
  },
  rate_limited: {
    status: 429,
    title: "Too many requests",
    meaning: "The rate limit is spent.",
    action: "Wait the seconds in `Retry-After`, then retry.",
  },
  internal_error: {
    status: 500,
    title: "Internal server error",
    meaning: "Something failed on the server's side; nothing about it is in the answer.",
    action: "Retry later; if it persists, quote `requestId` to the server's operator.",
  },
  service_unavailable: {
    status: 503,
    title: "Service unavailable",
    meaning: "A service the server depends on (the database) is not answering for now.",
    action: "Wait the seconds in `Retry-After`, then retry.",
  },
} as const satisfies Record<string, { status: number; title: string; meaning: string; action: string }>;

export type ErrorCode = keyof typeof ERRORS;

export type FieldErrors = Record<string, string[]>;

export interface ErrorDetails {
  requiredPermission?: string;
  fieldErrors?: FieldErrors;
  retryAfterSeconds?: number;
  /** Extra response headers, e.g. the RateLimit fields on a 429. */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function notFound(what = "Resource"): AppError {
  return new AppError("not_found", `${what} not found.`);
}

/** The end of every 429's message: when to come back, in whole seconds. */
export function tryAgainIn(seconds: number): string {
  return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

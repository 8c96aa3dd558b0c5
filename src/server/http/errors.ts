// The one error type of the server. Services throw it; the route wrapper and the Server Action helper turn
// it into application/problem+json or a form state. Anything else that escapes is a bug: it is logged and
// answered with a generic 500 that carries no detail.

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  missing_api_key: 401,
  malformed_api_key: 401,
  invalid_api_key: 401,
  expired_api_key: 401,
  api_key_in_query: 400,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_entity: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

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
    return ERROR_STATUS[this.code];
  }
}

export function notFound(what = "Resource"): AppError {
  return new AppError("not_found", `${what} not found.`);
}

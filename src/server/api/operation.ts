import type { z } from "zod";
import type { Permission } from "@/server/auth/permissions";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One endpoint of /api/v1, as data: the route handler, the OpenAPI document and the tests all read it.
 * Schemas are written once: `params`, `query` and `body` validate the request; `response` shapes the answer
 * (anything the schema does not name is dropped, so no internal field can leak).
 */
export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  method: HttpMethod;
  /** OpenAPI style, e.g. "/api/v1/campaigns/{id}". */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** The permission the route declares; null: any authenticated caller. */
  permission: Permission | null;
  params?: P;
  query?: Q;
  body?: B;
  /** Request bodies above this many bytes get a 413. */
  maxBodyBytes?: number;
  /** Omitted for 204 No Content. */
  response?: R;
  status: 200 | 201 | 204;
  /** Extra error statuses this operation can answer, beyond the ones every operation can. */
  errors?: readonly (404 | 409 | 413 | 415 | 422)[];
  example?: { request?: unknown; response?: unknown };
  /** Not rate limited (the OpenAPI document itself). */
  public?: boolean;
}

export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
): Operation<P, Q, B, R> {
  return operation;
}

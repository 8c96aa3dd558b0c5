import type { z } from "zod";
import type { Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import type { JsonBody } from "./json-body";
import type { HttpMethod } from "./routes";

export type { HttpMethod };

/** What an operation's `run` receives: the caller and the input, already parsed by the operation's schemas. */
export interface OperationContext<P, Q, B> {
  principal: Principal;
  params: P;
  query: Q;
  body: B;
}

/**
 * One thing a caller can do in a workspace, declared once: the permission it needs, the schemas of its
 * input and output, and the function that does the work. `execute()` is the only caller of `run`: it checks
 * the permission, rate limits, parses the input and shapes the output (anything the response schema does not
 * name is dropped, so no internal field can leak; a result written as JSON by PostgreSQL, json-body.ts, is held
 * to the schema, with nothing to drop, outside production). Both doors reach it: `handle()` for /api/v1 and
 * `workspaceAction()` for Server Actions.
 */
export interface Operation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  id: string;
  /** The permission the operation declares; null: any authenticated caller. */
  permission: Permission | null;
  params?: P;
  query?: Q;
  body?: B;
  /** Omitted when the operation answers nothing (204). */
  response?: R;
  /**
   * A heavy read (an aggregate over many rows): per workspace it runs one at a time on an instance and takes at
   * most HEAVY_READ_SHARE of its time, so that one workspace's burst leaves the others' requests their CPU.
   */
  heavy?: boolean;
  // A method, so that an operation with specific schemas is still an Operation of the general kind.
  run(context: OperationContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R> | JsonBody<z.output<R>> | void>;
}

/** An operation that is also an endpoint of /api/v1: the route handler, the OpenAPI document and the tests read this. */
export interface ApiOperation<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> extends Operation<P, Q, B, R> {
  method: HttpMethod;
  /** OpenAPI style, e.g. "/api/v1/campaigns/{id}". */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Request bodies above this many bytes get a 413. */
  maxBodyBytes?: number;
  status: 200 | 201 | 204;
  /** Extra error statuses this operation can answer, beyond the ones every operation can. */
  errors?: readonly (404 | 409 | 413 | 415 | 422)[];
  example?: { request?: unknown; response?: unknown };
}

export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: ApiOperation<P, Q, B, R>,
): ApiOperation<P, Q, B, R>;
export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  operation: Operation<P, Q, B, R>,
): Operation<P, Q, B, R>;
export function defineOperation(operation: Operation): Operation {
  return operation;
}

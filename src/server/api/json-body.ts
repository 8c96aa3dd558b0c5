import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";

// An answer PostgreSQL has already written as JSON (docs/decisions/018-answers-written-by-postgresql.md): the
// campaigns list, the hottest read, is sent as the statement returned it instead of being parsed into objects,
// checked and written again. A registered symbol, so that every copy of this module in Next's bundles agrees.
const TEXT = Symbol.for("heyoo.jsonBody");

/** The JSON text of a `T`, as an operation's result. */
export interface JsonBody<T> {
  readonly [TEXT]: string;
  /** Only for the type: never set. */
  readonly shape?: T;
}

export function jsonBody<T>(text: string): JsonBody<T> {
  return { [TEXT]: text };
}

export function isJsonBody(value: unknown): value is JsonBody<unknown> {
  return typeof value === "object" && value !== null && TEXT in value;
}

export function jsonBodyText(body: JsonBody<unknown>): string {
  return body[TEXT];
}

/**
 * Outside production every JSON body is parsed and held to the operation's response schema, as the objects
 * other operations return are on every request, and must also need nothing dropped: a statement that writes
 * a field the schema does not name would leak it, since production sends the text as it is. So the unit,
 * integration and contract tests fail on a statement that drifts from the API's shape.
 */
export function assertJsonBodyMatches(operationId: string, schema: z.ZodType, body: JsonBody<unknown>): void {
  const text = jsonBodyText(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${operationId} answered text that is not JSON: ${(error as Error).message}`);
  }
  const shaped = schema.safeParse(parsed);
  if (!shaped.success) throw new Error(`${operationId} answered outside its response schema: ${shaped.error.message}`);
  if (!isDeepStrictEqual(shaped.data, parsed)) {
    throw new Error(`${operationId} answered fields its response schema does not name (or values it would change)`);
  }
}

import { z } from "zod";
import { PERMISSIONS, type Permission } from "@/server/auth/permissions";
import { ERRORS, type ErrorCode } from "@/server/http/errors";

export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a valid id.");

export const idParams = z.object({ id: idSchema });

/** The longest ISO 8601 date-time the API reads or writes: "2026-11-01T09:30:00.123456789+05:30". */
export const TIMESTAMP_MAX_LENGTH = 35;

export const timestamp = z.iso
  .datetime({ offset: true })
  .max(TIMESTAMP_MAX_LENGTH, `Use at most ${TIMESTAMP_MAX_LENGTH} characters.`)
  .describe("ISO 8601 date-time");

/**
 * How a schema appears in the OpenAPI document when the converter cannot say it: a query integer is read
 * from text by a transform, which JSON Schema cannot express, so its documented shape is stated here.
 */
export const documentedAs = z.registry<Record<string, unknown>>();

/**
 * An integer in the query string: decimal digits only. z.coerce.number() would take "0x10", "1e1", "+3",
 * " 5" and "0b11" (Number() does); every integer query parameter of the API goes through this one.
 */
export function queryInteger(options: { min: number; max: number; default?: number; description: string }) {
  const digits = String(options.max).length;
  const parsed = z
    .string()
    .regex(new RegExp(`^[0-9]{1,${digits}}$`), `Use a whole number from ${options.min} to ${options.max}, in decimal digits.`)
    .transform(Number)
    .pipe(z.int().min(options.min, `Use at least ${options.min}.`).max(options.max, `Use at most ${options.max}.`));
  const shape = { type: "integer", format: "int32", minimum: options.min, maximum: options.max, description: options.description };
  documentedAs.add(parsed, shape);
  if (options.default === undefined) return parsed.describe(options.description);
  const withDefault = parsed.default(options.default).describe(options.description);
  documentedAs.add(withDefault, { ...shape, default: options.default });
  return withDefault;
}

export const PROBLEM_DETAIL_MAX_LENGTH = 2000;
export const PROBLEM_FIELD_MAX_LENGTH = 200;
export const PROBLEM_MESSAGES_PER_FIELD = 20;
export const PROBLEM_MESSAGE_MAX_LENGTH = 500;

const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

export const problemSchema = z
  .object({
    type: z
      .string()
      .max(200)
      .regex(/^\/docs\/api#error-[a-z_]+$/)
      .describe("Where the code is explained: an anchor of this server's /docs/api page (a URI reference)."),
    title: z.string().max(100),
    status: z.int().min(400).max(599),
    code: z.enum(ERROR_CODES).describe("Stable machine-readable error code."),
    detail: z.string().max(PROBLEM_DETAIL_MAX_LENGTH),
    requiredPermission: z
      .enum(PERMISSIONS as [Permission, ...Permission[]])
      .optional()
      .describe("On 403: the permission that would allow the request."),
    errors: z
      .record(z.string().max(PROBLEM_FIELD_MAX_LENGTH), z.array(z.string().max(PROBLEM_MESSAGE_MAX_LENGTH)).max(PROBLEM_MESSAGES_PER_FIELD))
      .optional()
      .describe("On 422: messages by field."),
    requestId: z.uuid().max(36),
  })
  .describe("RFC 9457 problem details.");

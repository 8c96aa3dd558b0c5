import { z } from "zod";

export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "Not a valid id.");

export const idParams = z.object({ id: idSchema });

export const timestamp = z.iso.datetime({ offset: true }).describe("ISO 8601 date-time");

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe("Stable machine-readable error code."),
    detail: z.string(),
    requiredPermission: z.string().optional().describe("On 403: the permission that would allow the request."),
    errors: z.record(z.string(), z.array(z.string())).optional().describe("On 422: messages by field."),
    requestId: z.string(),
  })
  .describe("RFC 9457 problem details.");

import { z } from "zod";
import { KEY_KINDS, KEY_SCOPES, type Permission } from "@/server/auth/permissions";

/** Listing answers every key at once, so a workspace's keys are bounded. */
export const MAX_API_KEYS_PER_WORKSPACE = 500;

export const apiKeyNameSchema = z.string().trim().min(1, "Enter a name.").max(64, "Use at most 64 characters.");

const scopeSchema = z.enum(KEY_SCOPES as [Permission, ...Permission[]], {
  error: () => `Unknown permission. Use one of: ${KEY_SCOPES.join(", ")}.`,
});

const permissionsFields = {
  kind: z.enum(KEY_KINDS).describe("all: every permission; read_only: every .read permission; restricted: the listed ones."),
  permissions: z
    .array(scopeSchema)
    .max(KEY_SCOPES.length * 2)
    .optional()
    .describe('For kind "restricted": the permissions, e.g. ["campaigns.write", "analytics.read"]; write implies read.'),
};

const expiresAtSchema = z.iso
  .datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2027-06-30T00:00:00Z." })
  .max(35, "Use an ISO 8601 date-time, e.g. 2027-06-30T00:00:00Z.")
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now() + 60_000, "Choose a date in the future.")
  .refine((date) => date.getTime() < Date.now() + 5 * 366 * 86_400_000, "Choose a date within five years.");

export const createApiKeySchema = z.strictObject({
  name: apiKeyNameSchema,
  ...permissionsFields,
  owner: z.enum(["you", "machine"]).default("you").describe('"you": acts as the caller; "machine": a new machine user.'),
  expiresAt: expiresAtSchema.nullable().optional().describe("When the key stops working; null or absent: never."),
});

export const updateApiKeySchema = z
  .strictObject({
    name: apiKeyNameSchema.optional(),
    kind: permissionsFields.kind.optional(),
    permissions: permissionsFields.permissions,
  })
  .refine((input) => input.permissions === undefined || input.kind !== undefined, {
    message: 'Send "kind" together with "permissions".',
    path: ["kind"],
  });

export { idSchema as apiKeyIdSchema } from "@/server/api/common-schemas";

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
export type UpdateApiKeyInput = z.infer<typeof updateApiKeySchema>;

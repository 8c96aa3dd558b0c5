import { z } from "zod";
import { idSchema, timestamp } from "@/server/api/common-schemas";
import { paginationQuery } from "@/server/api/pagination";
import { KEY_KINDS, KEY_SCOPES, PERMISSIONS, type Permission } from "@/server/auth/permissions";
import {
  ALLOWLIST_MESSAGES,
  GRACE_PERIODS,
  MAX_ALLOWLIST_ENTRIES,
  MAX_ALLOWLIST_ENTRY_LENGTH,
  allowlistProblem,
  normaliseAllowlist,
  type GracePeriod,
} from "./lifecycle";

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
  // An empty value is what the dialogs send for a custom date not chosen yet.
  .datetime({
    offset: true,
    error: (issue) => (issue.input === "" ? "Choose a date." : "Use an ISO 8601 date-time, e.g. 2027-06-30T00:00:00Z."),
  })
  .max(35, "Use an ISO 8601 date-time, e.g. 2027-06-30T00:00:00Z.")
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now() + 60_000, "Choose a date in the future.")
  .refine((date) => date.getTime() < Date.now() + 5 * 366 * 86_400_000, "Choose a date within five years.");

export { GRACE_PERIODS, MAX_ALLOWLIST_ENTRIES, type GracePeriod } from "./lifecycle";

/**
 * A key's IP allowlist: addresses and CIDR ranges, IPv4 or IPv6, each normalised (203.0.113.7/24 becomes
 * 203.0.113.0/24, ::ffff:10.0.0.1 becomes 10.0.0.1) and listed once. Empty: the key works from anywhere. The
 * rules and messages are lifecycle.ts's, which the key dialogs run in the browser too.
 */
export const ipAllowlistSchema = z
  .array(
    z
      .string()
      .max(MAX_ALLOWLIST_ENTRY_LENGTH, ALLOWLIST_MESSAGES.tooLong)
      // For the document: the characters an address or range is written with (and spaces and brackets around
      // one). The transform below refuses anything else, with one message for the whole field.
      .meta({ pattern: "^[\\s0-9A-Fa-f.:/\\[\\]]*$" }),
  )
  .max(MAX_ALLOWLIST_ENTRIES, ALLOWLIST_MESSAGES.tooMany)
  .transform((entries, context) => {
    const problem = allowlistProblem(entries);
    if (problem) {
      context.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return normaliseAllowlist(entries);
  })
  .describe("IPv4/IPv6 addresses and CIDR ranges the key may be used from (at most 100); empty: any address.");

export const createApiKeySchema = z.strictObject({
  name: apiKeyNameSchema,
  ...permissionsFields,
  owner: z.enum(["you", "machine"]).default("you").describe('"you": acts as the caller; "machine": a new machine user.'),
  expiresAt: expiresAtSchema.nullable().optional().describe("When the key stops working; null or absent: never."),
  ipAllowlist: ipAllowlistSchema.default([]),
});

export const updateApiKeySchema = z
  .strictObject({
    name: apiKeyNameSchema.optional(),
    kind: permissionsFields.kind.optional(),
    permissions: permissionsFields.permissions,
    expiresAt: expiresAtSchema.nullable().optional().describe("A new expiry; null: the key never expires; absent: unchanged."),
    ipAllowlist: ipAllowlistSchema.optional().describe("A new allowlist; []: any address; absent: unchanged."),
  })
  .refine((input) => input.permissions === undefined || input.kind !== undefined, {
    message: 'Send "kind" together with "permissions".',
    path: ["kind"],
  });

export const rollApiKeySchema = z.strictObject({
  gracePeriod: z
    .enum(Object.keys(GRACE_PERIODS) as [GracePeriod, ...GracePeriod[]], {
      error: () => 'Choose how long the old key keeps working: "none", "1h", "24h" or "7d".',
    })
    .describe("How long the old key keeps working alongside its replacement: none, 1 hour, 24 hours or 7 days (never past its expiry)."),
});

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
export type RollApiKeyInput = z.infer<typeof rollApiKeySchema>;
export type UpdateApiKeyInput = z.infer<typeof updateApiKeySchema>;

/** What a key is now (derived from its row and the time; see serialize.ts). */
export const API_KEY_STATUSES = ["active", "rolled", "stopped", "expired", "leaked"] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

export const apiKeySchema = z
  .object({
    id: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    name: z.string().max(64),
    partialKey: z
      .string()
      .max(16)
      .regex(/^hey_…[0-9A-Za-z]{4}$/)
      .describe('Display form of the key, e.g. "hey_…x7Qa". The key itself is never returned again.'),
    kind: z.enum(KEY_KINDS),
    permissions: z
      .array(
        z
          .string()
          .max(64)
          .regex(/^[A-Za-z]+\.[A-Za-z]+$/),
      )
      .max(PERMISSIONS.length)
      .describe("The key's scopes; effective permissions are these ∩ its owner's role."),
    owner: z.object({
      id: z
        .string()
        .max(64)
        .regex(/^[A-Za-z0-9_-]+$/),
      name: z.string().max(100),
      type: z.enum(["user", "machine"]),
    }),
    createdBy: z
      .object({
        id: z
          .string()
          .max(64)
          .regex(/^[A-Za-z0-9_-]+$/),
        name: z.string().max(100),
      })
      .nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    status: z
      .enum(API_KEY_STATUSES)
      .describe(
        "active; rolled: replaced, still working until `stopsAt`; stopped: rolled and its grace period is over; expired; leaked: found in public and revoked.",
      ),
    requestCount: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .describe("Requests made with the key (counted in batches, a few seconds behind)."),
    ipAllowlist: z
      .array(
        z
          .string()
          .max(64)
          .regex(/^[0-9a-f.:/]+$/),
      )
      .max(MAX_ALLOWLIST_ENTRIES)
      .describe("Addresses and CIDR ranges the key may be used from; empty: any."),
    roll: z
      .object({
        rolledAt: timestamp,
        stopsAt: timestamp.describe("When this key stops working: the end of the grace period chosen."),
        replacedBy: z.object({ id: idSchema }).nullable().describe("The key that replaced it; null once that key was deleted."),
        requestsSinceRoll: z.number().int().min(0).max(2_147_483_647).describe("Requests made with this key since it was rolled."),
      })
      .nullable()
      .describe("Set when the key was rolled."),
    replaces: z.object({ id: idSchema }).nullable().describe("The key this one replaced, when it was made by a roll."),
    leak: z
      .object({
        foundAt: timestamp,
        source: z
          .enum(["github", "public_report"])
          .describe("github: GitHub secret scanning; public_report: reported to POST /api/v1/leaked-keys."),
        url: z.url().max(2000).nullable().describe("Where the key was found, when the report said."),
      })
      .nullable()
      .describe("Set when the key was found in public and revoked."),
  })
  .describe("An API key's metadata.");

export const createdApiKeySchema = apiKeySchema.extend({
  key: z
    .string()
    .max(64)
    .regex(/^hey_[0-9A-Za-z]+$/)
    .describe("The secret. Store it now: it is never shown again."),
});

/** An API key's metadata as every answer shows it (derived from the schema, never written twice). */
export type ApiKey = z.output<typeof apiKeySchema>;

/**
 * The orders of the keys list, each with its natural direction: newest first, most recently used first,
 * soonest to expire first (expired keys lead). Keys never used, or that never expire, come last.
 */
export const API_KEY_SORTS = ["created", "last_used", "expires"] as const;
export type ApiKeySort = (typeof API_KEY_SORTS)[number];

export const listApiKeysQuerySchema = z.strictObject({
  ...paginationQuery,
  q: z
    .string()
    .trim()
    .min(1, "Enter a search term.")
    .max(64, "Use at most 64 characters.")
    .optional()
    .describe("Case-insensitive search in the name."),
  kind: z
    .enum(KEY_KINDS, { error: () => `Use one of: ${KEY_KINDS.join(", ")}.` })
    .optional()
    .describe("Only keys of this kind."),
  owner: z
    .union([z.literal("machine"), idSchema], { error: () => 'Use a user id, or "machine".' })
    .optional()
    .describe('Only the keys of this user (a user id), or "machine": only machine users\' keys.'),
  sort: z
    .enum(API_KEY_SORTS, { error: () => `Use one of: ${API_KEY_SORTS.join(", ")}.` })
    .default("created")
    .describe(
      '"created" (default): newest first; "last_used": most recently used first, never used last; "expires": soonest first (expired keys first), no expiry last.',
    ),
});

export type ListApiKeysQuery = z.output<typeof listApiKeysQuerySchema>;

// ---- Usage and least-privilege advice (usage.ts) ----------------------------------------------------------

const count = z.int().min(0).max(2_147_483_647);
const byStatusClass = { "2xx": count, "4xx": count, "5xx": count };
const permissionList = z.array(z.enum(PERMISSIONS as [Permission, ...Permission[]])).max(PERMISSIONS.length);
const operationIdSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z]+$/);

export const apiKeyUsageSchema = z
  .object({
    apiKeyId: idSchema,
    from: timestamp.describe("The start of the first day counted (UTC midnight, 89 days before today)."),
    to: timestamp.describe("When this answer was made; the last few seconds of requests may not be counted yet."),
    total: z.object({ requests: count, ...byStatusClass }).describe("Requests in the 90 days, by status class."),
    days: z
      .array(
        z.object({
          date: z.iso.date().max(10).describe("A UTC day."),
          ...byStatusClass,
        }),
      )
      .max(90)
      .describe("Requests per UTC day, oldest first: all 90 days, days without requests included."),
    hours: z
      .array(z.object({ hour: timestamp.describe("The start of a UTC hour."), ...byStatusClass }))
      .max(48)
      .describe("Requests per hour over the last 48 hours, oldest first, hours without requests included."),
    operations: z
      .array(
        z.object({
          operation: operationIdSchema.describe("The operation's id in the OpenAPI document."),
          method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
          path: z
            .string()
            .max(200)
            .regex(/^\/api\/v1\/[A-Za-z0-9/{}_-]*$/),
          permission: z
            .enum(PERMISSIONS as [Permission, ...Permission[]])
            .nullable()
            .describe("The permission it declares."),
          requests: count,
          ...byStatusClass,
          refused: count.describe("Requests refused before the operation ran: the key lacked its permission or was over its rate limit."),
        }),
      )
      .max(200)
      .describe("Requests per operation in the 90 days, most used first."),
    lastUsed: z
      .object({
        at: timestamp,
        ip: z
          .string()
          .max(45)
          .regex(/^[0-9a-f.:]+$/)
          .nullable()
          .describe("The client's address, shown to the key's owner and to workspace owners; otherwise null."),
        userAgent: z
          .string()
          .max(500)
          .regex(/^[^\u0000-\u001f\u007f]*$/)
          .nullable()
          .describe(
            "The client's User-Agent (control characters as spaces), shown to the key's owner and to workspace owners; otherwise null.",
          ),
      })
      .nullable(),
    advice: z
      .object({
        windowDays: z.int().min(1).max(90).describe("How many days of requests the advice reads."),
        observedSince: timestamp.describe(
          "The start of what the advice read: the window's start, or when the key (or the key it replaced) was created.",
        ),
        observedDays: z.int().min(0).max(90).describe("Whole days observed; below windowDays the advice may still change."),
        used: permissionList.describe("Held permissions that the key's requests used."),
        unused: permissionList.describe("Held permissions no request used, which restricting the key would remove."),
        restrictTo: permissionList
          .nullable()
          .describe("What POST …/restrict would leave the key: null when nothing would be removed or nothing would remain."),
      })
      .describe("Least-privilege advice from the last windowDays days."),
  })
  .describe("A key's requests over the last 90 days (counted every few seconds), and which of its permissions they used.");

export type ApiKeyUsage = z.output<typeof apiKeyUsageSchema>;

export const restrictApiKeySchema = z.strictObject({
  permissions: z
    .array(scopeSchema)
    .min(1, "Choose at least one permission.")
    .max(KEY_SCOPES.length * 2)
    .optional()
    .describe("The permissions to keep, as previewed (usage.advice.restrictTo); absent: what the key used in the last 30 days."),
});

export type RestrictApiKeyInput = z.infer<typeof restrictApiKeySchema>;

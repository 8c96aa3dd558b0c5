import { z } from "zod";
import { createApiKey } from "@/server/api-keys/create-api-key";
import { deleteApiKey, restrictApiKey, rollApiKey, stopApiKey, updateApiKey } from "@/server/api-keys/manage-api-key";
import { getApiKeyUsage, type OperationIndex } from "@/server/api-keys/usage";
import { apiKeyNotices } from "@/server/api-keys/notices";
import { apiKeysOverview, getApiKey, listApiKeyOwners, listApiKeys } from "@/server/api-keys/read-api-keys";
import { idParams, idSchema, timestamp } from "@/server/api/common-schemas";
import { now as clockNow } from "@/server/clock";
import { defineOperation } from "@/server/api/operation";
import { route } from "@/server/api/routes";
import { pageSchema } from "@/server/api/pagination";
import { PERMISSIONS } from "@/server/auth/permissions";
import {
  apiKeySchema,
  apiKeyUsageSchema,
  createApiKeySchema,
  createdApiKeySchema,
  listApiKeysQuerySchema,
  restrictApiKeySchema,
  rollApiKeySchema,
  updateApiKeySchema,
} from "./schemas";

const exampleKey = {
  id: "cm3k2j4l50000abcd1234efgh",
  name: "Reporting",
  partialKey: "hey_…x7Qa",
  kind: "restricted",
  permissions: ["analytics.read", "campaigns.read"],
  owner: { id: "cm3k2j4l50001abcd1234efgh", name: "Ada Lovelace", type: "user" },
  createdBy: { id: "cm3k2j4l50001abcd1234efgh", name: "Ada Lovelace" },
  createdAt: "2026-11-01T09:30:00.000Z",
  lastUsedAt: null,
  expiresAt: "2027-02-01T00:00:00.000Z",
  status: "active",
  requestCount: 1204,
  ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"],
  roll: null,
  replaces: null,
  leak: null,
};

export const getMe = defineOperation({
  ...route("getMe"),
  tag: "API Keys",
  summary: "What the calling key can do",
  description: "The calling key's workspace, the user or machine user it acts as, and its effective permissions.",
  permission: null,
  status: 200,
  response: z
    .object({
      workspace: z.object({
        id: z
          .string()
          .max(64)
          .regex(/^[A-Za-z0-9_-]+$/),
        slug: z
          .string()
          .max(48)
          .regex(/^[a-z0-9-]+$/),
        name: z.string().max(64),
      }),
      owner: z.object({
        id: z
          .string()
          .max(64)
          .regex(/^[A-Za-z0-9_-]+$/),
        name: z.string().max(100),
        type: z.enum(["user", "machine"]),
      }),
      role: z.enum(["owner", "member"]),
      apiKey: z
        .object({
          id: z
            .string()
            .max(64)
            .regex(/^[A-Za-z0-9_-]+$/),
        })
        .nullable(),
      permissions: z.array(z.enum(PERMISSIONS as [string, ...string[]])).max(PERMISSIONS.length),
    })
    .describe("The caller."),
  example: {
    response: {
      workspace: { id: "cm3k2j4l50002abcd1234efgh", slug: "acme", name: "Acme" },
      owner: { id: "cm3k2j4l50001abcd1234efgh", name: "Ada Lovelace", type: "user" },
      role: "owner",
      apiKey: { id: exampleKey.id },
      permissions: ["analytics.read", "campaigns.read"],
    },
  },
  run: async ({ principal }) => ({
    workspace: principal.workspace,
    owner: { id: principal.user.id, name: principal.user.name, type: principal.user.isMachine ? ("machine" as const) : ("user" as const) },
    role: principal.role,
    apiKey: principal.apiKey,
    // In the table's order, so the list reads the same every time.
    permissions: PERMISSIONS.filter((permission) => principal.permissions.has(permission)),
  }),
});

export const listApiKeysOperation = defineOperation({
  ...route("listApiKeys"),
  tag: "API Keys",
  summary: "List API keys",
  description:
    "The workspace's keys, a page at a time: pass `nextCursor` as `cursor` (with the same `sort`) for the next page. Search the name with `q`, filter by `kind` or `owner`. Secrets are never returned.",
  permission: "apiKeys.read",
  query: listApiKeysQuerySchema,
  status: 200,
  errors: [422],
  response: pageSchema(apiKeySchema),
  example: { response: { data: [exampleKey], nextCursor: null } },
  run: ({ principal, query }) => listApiKeys(principal, query),
});

export const createApiKeyOperation = defineOperation({
  ...route("createApiKey"),
  tag: "API Keys",
  summary: "Create an API key",
  description:
    'The response carries the key in `key`, this one time. A key can never be given a permission the caller lacks; `owner: "machine"` (a new machine user) needs an owner\'s key.',
  permission: "apiKeys.write",
  body: createApiKeySchema,
  status: 201,
  errors: [409, 413, 415, 422],
  response: createdApiKeySchema,
  example: {
    request: {
      name: "Reporting",
      kind: "restricted",
      permissions: ["analytics.read", "campaigns.read"],
      expiresAt: "2027-02-01T00:00:00Z",
    },
    response: { ...exampleKey, key: "hey_4Xb9QmZt0Lr8VwY2nKc5HsJd1PfGa7Ee3uT0x7Qa" },
  },
  run: ({ principal, body }) => createApiKey(principal, body),
});

export const getApiKeyOperation = defineOperation({
  ...route("getApiKey"),
  tag: "API Keys",
  summary: "Get an API key",
  permission: "apiKeys.read",
  params: idParams,
  status: 200,
  errors: [404],
  response: apiKeySchema,
  example: { response: exampleKey },
  run: ({ principal, params }) => getApiKey(principal, params.id),
});

export const updateApiKeyOperation = defineOperation({
  ...route("updateApiKey"),
  tag: "API Keys",
  summary: "Rename an API key, change its permissions or its expiry",
  description: "Members change their own keys; owners any key. Permissions can never exceed the caller's.",
  permission: "apiKeys.write",
  params: idParams,
  body: updateApiKeySchema,
  status: 200,
  errors: [404, 413, 415, 422],
  response: apiKeySchema,
  example: {
    request: { name: "Reporting (read only)", kind: "read_only", expiresAt: "2027-05-01T00:00:00Z" },
    response: { ...exampleKey, kind: "read_only", expiresAt: "2027-05-01T00:00:00.000Z" },
  },
  run: ({ principal, params, body }) => updateApiKey(principal, params.id, body),
});

export const deleteApiKeyOperation = defineOperation({
  ...route("deleteApiKey"),
  tag: "API Keys",
  summary: "Delete an API key",
  description: "The next request with it gets a 401. A machine user's key takes the machine user with it.",
  permission: "apiKeys.write",
  params: idParams,
  status: 204,
  errors: [404],
  run: ({ principal, params }) => deleteApiKey(principal, params.id),
});

export const rollApiKeyOperation = defineOperation({
  ...route("rollApiKey"),
  tag: "API Keys",
  summary: "Roll an API key",
  description:
    "A new secret with the same name, owner, permissions, allowlist and expiry, in `key` this one time. The old key keeps working for `gracePeriod` (never past its expiry), then answers 401 `expired_api_key`; `replaced` is the old key with its `roll`. A key rolls once: a second roll is a 409.",
  permission: "apiKeys.write",
  params: idParams,
  body: rollApiKeySchema,
  status: 201,
  errors: [404, 409, 413, 415, 422],
  response: createdApiKeySchema.extend({ replaced: apiKeySchema.describe("The old key, now rolled.") }),
  example: {
    request: { gracePeriod: "24h" },
    response: {
      ...exampleKey,
      id: "cm3k2j4l50003abcd1234efgh",
      partialKey: "hey_…9Zk2",
      requestCount: 0,
      replaces: { id: exampleKey.id },
      key: "hey_7Kd2PqRt5Mx9WvY1nLc4HsJb8FgAa6Ee0uT3o9Zk2",
      replaced: {
        ...exampleKey,
        status: "rolled",
        roll: {
          rolledAt: "2026-11-20T10:00:00.000Z",
          stopsAt: "2026-11-21T10:00:00.000Z",
          replacedBy: { id: "cm3k2j4l50003abcd1234efgh" },
          requestsSinceRoll: 0,
        },
      },
    },
  },
  run: ({ principal, params, body }) => rollApiKey(principal, params.id, body),
});

export const stopApiKeyOperation = defineOperation({
  ...route("stopApiKey"),
  tag: "API Keys",
  summary: "Stop a rolled key now",
  description:
    "Ends a rolled key's grace period at once: its next request answers 401. Stopping a key that has stopped already changes nothing; a key that was never rolled is a 409 (delete it instead).",
  permission: "apiKeys.write",
  params: idParams,
  status: 200,
  errors: [404, 409],
  response: apiKeySchema,
  example: {
    response: {
      ...exampleKey,
      status: "stopped",
      roll: {
        rolledAt: "2026-11-20T10:00:00.000Z",
        stopsAt: "2026-11-20T16:30:00.000Z",
        replacedBy: { id: "cm3k2j4l50003abcd1234efgh" },
        requestsSinceRoll: 37,
      },
    },
  },
  run: ({ principal, params }) => stopApiKey(principal, params.id),
});

/** Every /api/v1 operation's method, path and permission; the registry is loaded on first use (it imports this module). */
async function operationIndex(): Promise<OperationIndex> {
  const { OPERATIONS } = await import("@/server/api/registry");
  return new Map(OPERATIONS.map((operation) => [operation.id, operation]));
}

const exampleUsageDays = [
  { date: "2026-11-29", "2xx": 1180, "4xx": 3, "5xx": 0 },
  { date: "2026-11-30", "2xx": 1204, "4xx": 0, "5xx": 1 },
];

export const getApiKeyUsageOperation = defineOperation({
  ...route("getApiKeyUsage"),
  tag: "API Keys",
  summary: "A key's usage, and the permissions it does not use",
  description:
    "Requests made with the key per day (90 days), per hour (48 hours) and per operation, by status class; its last use; and which of its permissions no request of the last 30 days used (`advice.unused`), with what `POST …/restrict` would leave it. Counts are written every few seconds, so the latest requests may be missing.",
  permission: "apiKeys.read",
  params: idParams,
  status: 200,
  errors: [404],
  response: apiKeyUsageSchema,
  example: {
    response: {
      apiKeyId: exampleKey.id,
      from: "2026-09-02T00:00:00.000Z",
      to: "2026-11-30T12:00:00.000Z",
      total: { requests: 2388, "2xx": 2384, "4xx": 3, "5xx": 1 },
      days: exampleUsageDays,
      hours: [{ hour: "2026-11-30T11:00:00.000Z", "2xx": 52, "4xx": 0, "5xx": 0 }],
      operations: [
        {
          operation: "getAnalytics",
          method: "GET",
          path: "/api/v1/analytics",
          permission: "analytics.read",
          requests: 2388,
          "2xx": 2384,
          "4xx": 3,
          "5xx": 1,
          refused: 0,
        },
      ],
      lastUsed: { at: "2026-11-30T11:59:58.000Z", ip: "203.0.113.7", userAgent: "reporting-job/1.4" },
      advice: {
        windowDays: 30,
        observedSince: "2026-10-31T12:00:00.000Z",
        observedDays: 30,
        used: ["analytics.read"],
        unused: ["campaigns.read"],
        restrictTo: ["analytics.read"],
      },
    },
  },
  run: async ({ principal, params }) => getApiKeyUsage(principal, params.id, await operationIndex()),
});

export const restrictApiKeyOperation = defineOperation({
  ...route("restrictApiKey"),
  tag: "API Keys",
  summary: "Restrict a key to the permissions it uses",
  description:
    "Makes the key a restricted key holding `permissions` (as previewed from `advice.restrictTo` of its usage) or, without a body's `permissions`, the smallest set that keeps every permission its requests of the last 30 days used. Only removes permissions; a key with nothing unused is returned unchanged. 409 when nothing would remain, or when the key's permissions changed meanwhile.",
  permission: "apiKeys.write",
  params: idParams,
  body: restrictApiKeySchema,
  status: 200,
  errors: [404, 409, 413, 415, 422],
  response: apiKeySchema,
  example: {
    request: { permissions: ["analytics.read"] },
    response: { ...exampleKey, permissions: ["analytics.read"] },
  },
  run: async ({ principal, params, body }) => restrictApiKey(principal, params.id, body, await operationIndex()),
});

// Pages only (no /api/v1 endpoint): the keys list's owner filter and the workspace home's overview.

export const listApiKeyOwnersOperation = defineOperation({
  id: "listApiKeyOwners",
  permission: "apiKeys.read",
  response: z.array(z.object({ id: idSchema, name: z.string() })),
  run: ({ principal }) => listApiKeyOwners(principal),
});

export const apiKeysOverviewOperation = defineOperation({
  id: "apiKeysOverview",
  permission: "apiKeys.read",
  response: z.object({
    total: z.number().int(),
    expired: z.number().int(),
    expiring: z.array(apiKeySchema),
    recentlyUsed: z.array(apiKeySchema),
  }),
  run: ({ principal }) => apiKeysOverview(principal, clockNow()),
});

const noticeKeySchema = z.object({ id: idSchema, name: z.string(), partialKey: z.string() });

/** What the workspace layout tells owners: leaked keys to roll or delete, and keys that stop within a week. */
export const apiKeyNoticesOperation = defineOperation({
  id: "apiKeyNotices",
  permission: "apiKeys.manageAll",
  response: z.object({
    leaked: z.object({
      total: z.number().int(),
      keys: z.array(noticeKeySchema.extend({ foundAt: timestamp, source: z.enum(["github", "public_report"]) })),
    }),
    stopping: z.object({
      total: z.number().int(),
      keys: z.array(noticeKeySchema.extend({ stopsAt: timestamp, reason: z.enum(["expiry", "roll"]) })),
    }),
  }),
  run: ({ principal }) => apiKeyNotices(principal, clockNow()),
});

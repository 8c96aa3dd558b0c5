import type { Prisma } from "@/generated/prisma/client";
import type { ApiKey, ApiKeyStatus } from "@/server/api-keys/schemas";

/** What any read of a key selects: metadata only, never the hash. */
export const apiKeySelect = {
  id: true,
  name: true,
  partialKey: true,
  kind: true,
  permissions: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  requestCount: true,
  ipAllowlist: true,
  rolledAt: true,
  stopsAt: true,
  replacedById: true,
  requestCountAtRoll: true,
  leakedAt: true,
  leakSource: true,
  leakUrl: true,
  replaces: { select: { id: true } },
  ownerId: true,
  membership: { select: { user: { select: { id: true, name: true, email: true, isMachine: true } } } },
  createdBy: { select: { id: true, name: true } },
} satisfies Prisma.ApiKeySelect;

export type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeySelect }>;

/**
 * A leaked key is dead whatever else is true of it; a roll's end comes before an expiry it precedes. The API-key
 * door refuses by this same rule (api-key-door.ts).
 */
export function apiKeyStatus(row: Pick<ApiKeyRow, "leakedAt" | "rolledAt" | "stopsAt" | "expiresAt">, now: Date): ApiKeyStatus {
  if (row.leakedAt) return "leaked";
  if (row.stopsAt && row.stopsAt <= now && (!row.expiresAt || row.stopsAt < row.expiresAt)) return "stopped";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  if (row.rolledAt) return "rolled";
  return "active";
}

export function toApiKeyView(row: ApiKeyRow, now: Date = new Date()): ApiKey {
  const owner = row.membership.user;
  return {
    id: row.id,
    name: row.name,
    partialKey: row.partialKey,
    kind: row.kind,
    permissions: row.permissions,
    owner: { id: owner.id, name: owner.name, type: owner.isMachine ? "machine" : "user" },
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    status: apiKeyStatus(row, now),
    requestCount: row.requestCount,
    ipAllowlist: row.ipAllowlist,
    roll:
      row.rolledAt && row.stopsAt
        ? {
            rolledAt: row.rolledAt.toISOString(),
            stopsAt: row.stopsAt.toISOString(),
            replacedBy: row.replacedById ? { id: row.replacedById } : null,
            requestsSinceRoll: Math.max(0, row.requestCount - (row.requestCountAtRoll ?? row.requestCount)),
          }
        : null,
    replaces: row.replaces ? { id: row.replaces.id } : null,
    leak: row.leakedAt
      ? { foundAt: row.leakedAt.toISOString(), source: row.leakSource === "github" ? "github" : "public_report", url: row.leakUrl }
      : null,
  };
}

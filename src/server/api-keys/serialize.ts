import type { Prisma } from "@/generated/prisma/client";
import type { ApiKey } from "@/server/api-keys/schemas";

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
  ownerId: true,
  membership: { select: { user: { select: { id: true, name: true, email: true, isMachine: true } } } },
  createdBy: { select: { id: true, name: true } },
} satisfies Prisma.ApiKeySelect;

type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeySelect }>;

export function toApiKeyView(row: ApiKeyRow): ApiKey {
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
  };
}

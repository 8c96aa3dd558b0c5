import type { Prisma } from "@/generated/prisma/client";
import type { KeyKind } from "@/server/auth/permissions";

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

export interface ApiKeyView {
  id: string;
  name: string;
  partialKey: string;
  kind: KeyKind;
  permissions: string[];
  owner: { id: string; name: string; type: "user" | "machine" };
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
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

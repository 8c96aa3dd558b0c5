// Types and helpers shared by the API Keys page's client components and its Server Actions. Everything here
// reads the permission table; nothing copies it.
import {
  KEY_KIND_LABELS,
  KEY_RESOURCES,
  PERMISSION_TABLE,
  accessFromScopes,
  isPermission,
  type AccessLevel,
  type KeyKind,
  type KeyResource,
} from "@/server/auth/permissions";
import type { ApiKeySort } from "@/server/api-keys/schemas";

export const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "30", label: "30 days" },
  { value: "60", label: "60 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date" },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

/** What the Create dialog sends. The action validates every field again: the client is never trusted. */
export interface CreateKeyFormInput {
  name: string;
  kind: KeyKind;
  /** The per-resource picker's value; only used when kind is "restricted". */
  access?: Partial<Record<KeyResource, AccessLevel>>;
  owner: "you" | "machine";
  expiry: ExpiryChoice;
  /** yyyy-mm-dd, when expiry is "custom": the key stops working at the end of that day (UTC). */
  expiryDate?: string;
}

/** What the Edit dialog sends; without `expiry` the key's expiry stays as it is. */
export interface UpdateKeyFormInput {
  name?: string;
  kind?: KeyKind;
  access?: Partial<Record<KeyResource, AccessLevel>>;
  expiry?: ExpiryChoice;
  expiryDate?: string;
}

/** The keys list's URL search params, the same names as GET /api/v1/api-keys takes. */
export const LIST_PARAMS = ["q", "kind", "owner", "sort", "cursor"] as const;

export interface ListQuery {
  q?: string;
  kind?: KeyKind;
  owner?: string;
  sort: ApiKeySort;
  cursor?: string;
}

export const SORT_LABELS: Record<ApiKeySort, string> = {
  created: "Newest first",
  last_used: "Recently used",
  expires: "Expiring soonest",
};

/** The line the table shows: "All permissions", "Read only", or e.g. "Campaigns: write · Analytics: read". */
export function permissionsSummary(kind: KeyKind, permissions: readonly string[]): string {
  if (kind !== "restricted") return KEY_KIND_LABELS[kind];
  const access = accessFromScopes(permissions);
  const parts = KEY_RESOURCES.filter((resource) => access[resource.id] !== "none").map(
    (resource) => `${resource.label}: ${access[resource.id]}`,
  );
  return parts.length ? parts.join(" · ") : "No permissions";
}

/** Why a permission the user lacks is disabled in the picker, from the table's roles. */
export function missingPermissionReason(scope: string): string {
  if (isPermission(scope)) {
    const roles: readonly string[] = PERMISSION_TABLE[scope].roles;
    if (roles.length === 1 && roles[0] === "owner") return "Owners only";
  }
  return "You don't have this permission";
}

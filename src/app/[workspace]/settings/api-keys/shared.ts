// Types and helpers shared by the API Keys page's client components and its Server Actions. Everything here
// reads the permission table; nothing copies it.
import {
  KEY_KIND_LABELS,
  KEY_OPTIONS,
  KEY_RESOURCES,
  PERMISSION_TABLE,
  accessFromScopes,
  isPermission,
  scopesForKind,
  type AccessLevel,
  type KeyKind,
  type KeyResource,
  type Permission,
} from "@/server/auth/permissions";
import { GRACE_PERIODS, type GracePeriod } from "@/server/api-keys/lifecycle";
import type { ApiKeySort } from "@/server/api-keys/schemas";

export const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "30", label: "30 days" },
  { value: "60", label: "60 days" },
  { value: "90", label: "90 days" },
  { value: "custom", label: "Custom date" },
] as const;

export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

const DAY_MS = 86_400_000;

/** The Create dialog's state. */
export interface CreateKeyForm {
  name: string;
  kind: KeyKind;
  /** The per-resource picker's value; only used when kind is "restricted". */
  access: Partial<Record<KeyResource, AccessLevel>>;
  /** The chosen KEY_OPTIONS (Restricted keys). */
  options: readonly Permission[];
  owner: "you" | "machine";
  expiry: ExpiryChoice;
  /** yyyy-mm-dd, when expiry is "custom": the key stops working at the end of that day (UTC). */
  expiryDate: string;
  /** The allowlist field's text, as typed: entries one per line or separated by commas. */
  ipAllowlist: string;
}

/** The Edit dialog's state; without `expiry` the key's expiry stays as it is. */
export interface UpdateKeyForm {
  name: string;
  kind: KeyKind;
  access: Partial<Record<KeyResource, AccessLevel>>;
  options: readonly Permission[];
  expiry?: ExpiryChoice;
  expiryDate?: string;
  ipAllowlist: string;
}

/** The picker's value as the API's `permissions`: only Restricted keys list them. */
function permissionsOf(form: { kind: KeyKind; access: UpdateKeyForm["access"]; options: readonly Permission[] }): Permission[] | undefined {
  return form.kind === "restricted" ? scopesForKind("restricted", form.access, form.options) : undefined;
}

function expiresAtOf(expiry: ExpiryChoice, expiryDate: string, now = Date.now()): string | null {
  if (expiry === "never") return null;
  // The key works through the whole chosen day (UTC); an empty date is sent as is, for the API to refuse.
  if (expiry === "custom") return expiryDate ? `${expiryDate}T23:59:59.999Z` : "";
  return new Date(now + Number(expiry) * DAY_MS).toISOString();
}

/** The body of POST /api/v1/api-keys for the Create dialog's state: the dialog sends the API's own shape. */
export function createKeyBody(form: CreateKeyForm) {
  return {
    name: form.name,
    kind: form.kind,
    permissions: permissionsOf(form),
    owner: form.owner,
    expiresAt: expiresAtOf(form.expiry, form.expiryDate),
    ipAllowlist: allowlistEntries(form.ipAllowlist),
  };
}

/** The body of PATCH /api/v1/api-keys/{id} for the Edit dialog's state. */
export function updateKeyBody(form: UpdateKeyForm) {
  return {
    name: form.name,
    kind: form.kind,
    permissions: permissionsOf(form),
    ...(form.expiry ? { expiresAt: expiresAtOf(form.expiry, form.expiryDate ?? "") } : {}),
    ipAllowlist: allowlistEntries(form.ipAllowlist),
  };
}

/** The allowlist field's text as the API's `ipAllowlist`: one entry per line or between commas, blanks dropped. */
export function allowlistEntries(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

export { allowlistProblem, MAX_ALLOWLIST_ENTRIES as ALLOWLIST_LIMIT } from "@/server/api-keys/lifecycle";

/**
 * The roll dialog's choices: how long the old key keeps working beside its replacement (GRACE_PERIODS, the
 * server's own rule, from the zod-free lifecycle.ts).
 */
export const GRACE_CHOICES: { value: GracePeriod; ms: number; label: string; description: string }[] = [
  {
    value: "none",
    ms: GRACE_PERIODS.none,
    label: "None",
    description: "The old key stops working at once. Choose this when the key may have been exposed.",
  },
  {
    value: "1h",
    ms: GRACE_PERIODS["1h"],
    label: "1 hour",
    description: "Both keys work for an hour: time to deploy the new key where the old one is used.",
  },
  {
    value: "24h",
    ms: GRACE_PERIODS["24h"],
    label: "24 hours",
    description: "Both keys work for a day, for apps that are redeployed or reconfigured on a daily schedule.",
  },
  {
    value: "7d",
    ms: GRACE_PERIODS["7d"],
    label: "7 days",
    description: "Both keys work for a week, for integrations run by other teams or updated only now and then.",
  },
];

/** The options a set of scopes holds (the inverse of scopesForKind's `options`). */
export function optionsFromScopes(scopes: readonly string[]): Permission[] {
  return KEY_OPTIONS.filter((option) => scopes.includes(option.permission)).map((option) => option.permission);
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
  const options = KEY_OPTIONS.filter((option) => permissions.includes(option.permission)).map((option) => option.label);
  return [...parts, ...options].join(" · ") || "No permissions";
}

/** Who is looking at a key: whether they may change their own keys (API Keys: write) and everyone's. */
export interface KeyViewer {
  userId: string;
  canWrite: boolean;
  canManageAll: boolean;
}

/**
 * Whether the viewer may change this key (edit, roll, stop, delete, restrict): their own with API Keys: write,
 * anyone's with Manage everyone's keys too. The keys list and a key's page both ask this; the server checks
 * it again (manageableKeyOrThrow).
 */
export function mayChangeKey(viewer: KeyViewer, key: { owner: { id: string } }): boolean {
  return viewer.canWrite && (viewer.canManageAll || key.owner.id === viewer.userId);
}

/** Why a permission the user lacks is disabled in the picker, from the table's roles. */
export function missingPermissionReason(scope: string): string {
  if (isPermission(scope)) {
    const roles: readonly string[] = PERMISSION_TABLE[scope].roles;
    if (roles.length === 1 && roles[0] === "owner") return "Owners only";
  }
  return "You don't have this permission";
}

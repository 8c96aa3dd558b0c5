// The permission table: the only place that says who may do what. The UI (Create-key dialog, disabled
// buttons), the API, the OpenAPI document and the tests all read it; nothing copies it.

export const ROLES = ["owner", "member"] as const;
export type Role = (typeof ROLES)[number];

/** The resources an API key can be scoped to, in the order the docs page lists them. */
export const KEY_RESOURCES = [
  { id: "campaigns", label: "Campaigns", actions: ["read", "write"] },
  { id: "analytics", label: "Analytics", actions: ["read"] },
  { id: "workspaces", label: "Workspaces", actions: ["read", "write"] },
  { id: "domains", label: "Domains", actions: ["read", "write"] },
  { id: "tags", label: "Tags", actions: ["read", "write"] },
  { id: "apiKeys", label: "API Keys", actions: ["read", "write"] },
  { id: "auditLog", label: "Audit log", actions: ["read"] },
] as const;

export type KeyResource = (typeof KEY_RESOURCES)[number]["id"];

type KeyGrant =
  /** Can be selected on an API key. */
  | { kind: "scope" }
  /**
   * Can be selected on an API key, as a choice of its own beside the resource levels, and is only of use with
   * `needs` (which a Restricted key must then hold too).
   */
  | { kind: "option"; needs: string; label: string }
  /** Never held by an API key, whatever its owner's role. */
  | { kind: "never" };

interface PermissionRow {
  description: string;
  roles: readonly Role[];
  keys: KeyGrant;
}

const BOTH: readonly Role[] = ["owner", "member"];
const OWNER: readonly Role[] = ["owner"];

export const PERMISSION_TABLE = {
  "campaigns.read": { description: "read campaigns", roles: BOTH, keys: { kind: "scope" } },
  "campaigns.write": { description: "create, change and delete campaigns", roles: BOTH, keys: { kind: "scope" } },
  "analytics.read": { description: "read analytics", roles: BOTH, keys: { kind: "scope" } },
  "workspaces.read": { description: "read workspace details", roles: BOTH, keys: { kind: "scope" } },
  "workspaces.write": { description: "change workspace settings", roles: OWNER, keys: { kind: "scope" } },
  "domains.read": { description: "read domains", roles: BOTH, keys: { kind: "scope" } },
  "domains.write": { description: "add, change and remove domains", roles: OWNER, keys: { kind: "scope" } },
  "tags.read": { description: "read tags", roles: BOTH, keys: { kind: "scope" } },
  "tags.write": { description: "create, change and delete tags", roles: BOTH, keys: { kind: "scope" } },
  "apiKeys.read": { description: "read API keys", roles: BOTH, keys: { kind: "scope" } },
  "apiKeys.write": { description: "create, change and delete your own API keys", roles: BOTH, keys: { kind: "scope" } },
  // What a key holds is what it shows: managing other people's keys and creating machine users are choices
  // made on the key, never implied by "API Keys: write" (decision 005).
  "apiKeys.manageAll": {
    description: "change and delete API keys owned by anyone in the workspace",
    roles: OWNER,
    keys: { kind: "option", needs: "apiKeys.write", label: "Manage everyone's keys" },
  },
  "machineUsers.create": {
    description: "create machine users",
    roles: OWNER,
    keys: { kind: "option", needs: "apiKeys.write", label: "Create machine users" },
  },
  // Owners only: the log shows every person's addresses and user agents, and every change to keys and people.
  // Keys created before this row existed do not hold it, whatever their kind (decision 014).
  "auditLog.read": { description: "read the audit log", roles: OWNER, keys: { kind: "scope" } },
  "people.read": { description: "see the people of the workspace", roles: BOTH, keys: { kind: "never" } },
  "people.write": { description: "invite and remove people and change their roles", roles: OWNER, keys: { kind: "never" } },
} as const satisfies Record<string, PermissionRow>;

export type Permission = keyof typeof PERMISSION_TABLE;

export const PERMISSIONS = Object.keys(PERMISSION_TABLE) as Permission[];

function row(permission: Permission): PermissionRow {
  return PERMISSION_TABLE[permission];
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSION_TABLE, value);
}

export function describePermission(permission: Permission): string {
  return row(permission).description;
}

export function rolePermissions(role: Role): Set<Permission> {
  return new Set(PERMISSIONS.filter((permission) => row(permission).roles.includes(role)));
}

/** Permissions that can be held by a key, in the table's order: the resource levels and the options. */
export const KEY_SCOPES = PERMISSIONS.filter((permission) => row(permission).keys.kind !== "never");

export interface KeyOption {
  permission: Permission;
  label: string;
  /** The scope this option is only of use with. */
  needs: Permission;
}

/** The choices beside the resource levels (Restricted keys), from the table. */
export const KEY_OPTIONS: readonly KeyOption[] = PERMISSIONS.flatMap((permission) => {
  const grant = row(permission).keys;
  return grant.kind === "option" ? [{ permission, label: grant.label, needs: grant.needs as Permission }] : [];
});

/**
 * What an API key may do on a request: its own scopes narrowed by its owner's current role. Computed per
 * request, so a demotion applies at once. Nothing is implied: a key holds exactly what it shows.
 */
export function effectiveKeyPermissions(keyScopes: Iterable<string>, role: Role): Set<Permission> {
  const held = rolePermissions(role);
  const effective = new Set<Permission>();
  for (const scope of keyScopes) {
    if (isPermission(scope) && held.has(scope) && row(scope).keys.kind !== "never") effective.add(scope);
  }
  return new Set(PERMISSIONS.filter((permission) => effective.has(permission)));
}

// ---- Key kinds (the Create dialog's three options) -------------------------------------------------------

export const KEY_KINDS = ["all", "read_only", "restricted"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export const KEY_KIND_LABELS: Record<KeyKind, string> = {
  all: "All permissions",
  read_only: "Read only",
  restricted: "Restricted",
};

export type AccessLevel = "none" | "read" | "write";
export type RestrictedAccess = Partial<Record<KeyResource, AccessLevel>>;

/**
 * Scopes a key of this kind holds; write implies read. For Restricted keys, `options` are the chosen
 * KEY_OPTIONS; one whose needed scope is not chosen too is left out (it would grant nothing).
 */
export function scopesForKind(kind: KeyKind, access: RestrictedAccess = {}, options: Iterable<string> = []): Permission[] {
  if (kind === "all") return [...KEY_SCOPES];
  if (kind === "read_only") return KEY_SCOPES.filter((scope) => scope.endsWith(".read"));
  const scopes: Permission[] = [];
  for (const resource of KEY_RESOURCES) {
    const level = access[resource.id] ?? "none";
    if (level === "none") continue;
    const read = `${resource.id}.read` as Permission;
    scopes.push(read);
    if (level === "write") {
      if (!(resource.actions as readonly string[]).includes("write")) {
        throw new RangeError(`${resource.label} is read-only`);
      }
      scopes.push(`${resource.id}.write` as Permission);
    }
  }
  const chosen = new Set(options);
  for (const option of KEY_OPTIONS) {
    if (chosen.has(option.permission) && scopes.includes(option.needs)) scopes.push(option.permission);
  }
  return scopes;
}

/** The per-resource picker's value for a set of scopes (the inverse of scopesForKind for restricted keys). */
export function accessFromScopes(scopes: Iterable<string>): Record<KeyResource, AccessLevel> {
  const held = new Set(scopes);
  const access = {} as Record<KeyResource, AccessLevel>;
  for (const resource of KEY_RESOURCES) {
    access[resource.id] = held.has(`${resource.id}.write`) ? "write" : held.has(`${resource.id}.read`) ? "read" : "none";
  }
  return access;
}

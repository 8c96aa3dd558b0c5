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
] as const;

export type KeyResource = (typeof KEY_RESOURCES)[number]["id"];

type KeyGrant =
  /** Can be selected on an API key. */
  | { kind: "scope" }
  /** Belongs to the role only; a key acting for that role holds it while the key holds `via`. */
  | { kind: "via"; via: string }
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
  "apiKeys.manageAll": {
    description: "change and delete API keys owned by anyone in the workspace",
    roles: OWNER,
    keys: { kind: "via", via: "apiKeys.write" },
  },
  "machineUsers.create": {
    description: "create machine users",
    roles: OWNER,
    keys: { kind: "via", via: "apiKeys.write" },
  },
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

/** Permissions that can be selected on a key: "resource.action". */
export const KEY_SCOPES = PERMISSIONS.filter((permission) => row(permission).keys.kind === "scope");

/**
 * What an API key may do on a request: its own scopes narrowed by its owner's current role, plus the role's
 * key-derived permissions whose carrying scope survived. Computed per request, so a demotion applies at once.
 */
export function effectiveKeyPermissions(keyScopes: Iterable<string>, role: Role): Set<Permission> {
  const held = rolePermissions(role);
  const scopes = new Set(keyScopes);
  const effective = new Set<Permission>();
  for (const permission of held) {
    const grant = row(permission).keys;
    if (grant.kind === "scope" && scopes.has(permission)) effective.add(permission);
  }
  for (const permission of held) {
    const grant = row(permission).keys;
    if (grant.kind === "via" && effective.has(grant.via as Permission)) effective.add(permission);
  }
  return effective;
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

/** Scopes a key of this kind holds; write implies read. */
export function scopesForKind(kind: KeyKind, access: RestrictedAccess = {}): Permission[] {
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

// Least-privilege advice, as data: which of a key's permissions its requests of the last 30 days used, and the
// smallest valid set that keeps them. Pure (no database): the usage service and the tests call it.
import { KEY_OPTIONS, KEY_RESOURCES, PERMISSIONS, scopesForKind, type Permission, type RestrictedAccess } from "@/server/auth/permissions";

/** How far back a key's requests count as use of a permission. */
export const ADVICE_WINDOW_DAYS = 30;

/**
 * The smallest set of scopes a Restricted key can hold that includes `used`: a used write keeps its resource's
 * read (write implies read), a used option keeps the write it needs. In the table's order.
 */
export function smallestScopesFor(used: Iterable<Permission>): Permission[] {
  const wanted = new Set(used);
  const access: RestrictedAccess = {};
  for (const resource of KEY_RESOURCES) {
    if (wanted.has(`${resource.id}.write` as Permission)) access[resource.id] = "write";
    else if (wanted.has(`${resource.id}.read` as Permission)) access[resource.id] = "read";
  }
  for (const option of KEY_OPTIONS) {
    if (wanted.has(option.permission)) {
      const resource = option.needs.split(".")[0] as keyof RestrictedAccess;
      access[resource] = "write";
    }
  }
  const scopes = new Set(scopesForKind("restricted", access, wanted));
  return PERMISSIONS.filter((permission) => scopes.has(permission));
}

export interface PermissionAdvice {
  /** Permissions the key holds that a request of the window used. */
  used: Permission[];
  /** Permissions the key holds that no request of the window used, and that restricting it would remove. */
  unused: Permission[];
  /** What "Restrict to what it uses" leaves the key: null when nothing would be removed, or nothing would remain. */
  restrictTo: Permission[] | null;
}

/**
 * `held`: the key's scopes; `used`: the permissions declared by the operations its requests reached (not those
 * refused for lacking the permission). A permission used but no longer held is not advice about this key.
 */
export function permissionAdvice(held: readonly string[], used: Iterable<Permission>): PermissionAdvice {
  const holds = new Set(held);
  const usedHeld = new Set([...used].filter((permission) => holds.has(permission)));
  const keep = new Set(smallestScopesFor(usedHeld).filter((permission) => holds.has(permission)));
  const inOrder = (set: Set<string>) => PERMISSIONS.filter((permission) => set.has(permission));
  const unused = PERMISSIONS.filter((permission) => holds.has(permission) && !keep.has(permission));
  return {
    used: inOrder(usedHeld),
    unused,
    restrictTo: unused.length === 0 || keep.size === 0 ? null : inOrder(keep),
  };
}

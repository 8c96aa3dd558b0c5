import { KEY_OPTIONS, KEY_RESOURCES, scopesForKind, type KeyKind, type Permission, type RestrictedAccess } from "@/server/auth/permissions";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { AppError } from "@/server/http/errors";

/**
 * The scopes to store for a key that `principal` creates or edits. "All permissions" and "Read only" mean
 * all (or all read) permissions the creator holds; a restricted list must be held in full, or the request
 * fails with a 403 naming what is missing. So no key ever gets a permission its creator lacks.
 */
export function resolveScopes(principal: Principal, kind: KeyKind, permissions: readonly Permission[] = []): Permission[] {
  if (kind !== "restricted") {
    if (permissions.length) {
      throw new AppError("unprocessable_entity", `"permissions" only applies to restricted keys.`, {
        fieldErrors: { permissions: ["Only restricted keys take a list of permissions."] },
      });
    }
    return scopesForKind(kind).filter((scope) => principal.permissions.has(scope));
  }
  const access: RestrictedAccess = {};
  for (const resource of KEY_RESOURCES) {
    if (permissions.includes(`${resource.id}.write` as Permission)) access[resource.id] = "write";
    else if (permissions.includes(`${resource.id}.read` as Permission)) access[resource.id] = "read";
  }
  // What was asked for is checked first, so a missing permission is named as such.
  for (const scope of permissions) requirePermission(principal, scope);
  const levels = scopesForKind("restricted", access);
  for (const option of KEY_OPTIONS) {
    if (permissions.includes(option.permission) && !levels.includes(option.needs)) {
      throw new AppError("unprocessable_entity", `"${option.permission}" is only of use with "${option.needs}": add it too.`, {
        fieldErrors: { permissions: [`${option.label} needs ${option.needs}.`] },
      });
    }
  }
  const scopes = scopesForKind("restricted", access, permissions);
  // A restricted key with nothing selected is refused, never mistaken for full access.
  if (scopes.length === 0) {
    throw new AppError("unprocessable_entity", "Choose at least one permission for a restricted key.", {
      fieldErrors: { permissions: ["Choose at least one permission."] },
    });
  }
  // Then the read permissions its writes imply.
  for (const scope of scopes) requirePermission(principal, scope);
  return scopes;
}

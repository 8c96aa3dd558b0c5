import { AppError } from "@/server/http/errors";
import { describePermission, type Permission, type Role } from "./permissions";

/**
 * Who is acting, in which workspace, with which permissions. Both doors (a browser session and an API key)
 * produce this; services only ever look at a principal.
 */
export interface Principal {
  workspace: { id: string; slug: string; name: string };
  user: { id: string; name: string; email: string; isMachine: boolean };
  role: Role;
  /**
   * Present when the request came in with an API key: its id and name, and when it stops working (its expiry,
   * or the end of its grace period once rolled), for the answer's warning headers.
   */
  apiKey: { id: string; name: string; stopsAt: Date | null; rolled: boolean } | null;
  permissions: ReadonlySet<Permission>;
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

/** The one yes-or-no of the server: throws the 403 that names the permission which would allow the request. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (can(principal, permission)) return;
  const who = principal.apiKey ? "This API key" : "You";
  throw new AppError(
    "forbidden",
    `${who} lack${principal.apiKey ? "s" : ""} the "${permission}" permission, which is needed to ${describePermission(permission)}.`,
    { requiredPermission: permission },
  );
}

import { describe, expect, it } from "vitest";
import { AppError } from "@/server/http/errors";
import {
  KEY_KINDS,
  KEY_OPTIONS,
  KEY_RESOURCES,
  KEY_SCOPES,
  PERMISSION_TABLE,
  PERMISSIONS,
  ROLES,
  accessFromScopes,
  effectiveKeyPermissions,
  isPermission,
  rolePermissions,
  scopesForKind,
  type Permission,
  type Role,
} from "./permissions";
import { requirePermission, type Principal } from "./principal";

function principal(role: Role, permissions: Iterable<Permission>, apiKey = false): Principal {
  return {
    workspace: { id: "w1", slug: "acme", name: "Acme" },
    user: { id: "u1", name: "Ada", email: "ada@example.com", isMachine: false },
    role,
    apiKey: apiKey ? { id: "k1", name: "Key", stopsAt: null, rolled: false } : null,
    permissions: new Set(permissions),
  };
}

describe("the permission table", () => {
  it("is the spec's: owners hold everything, members everything but settings, domains, people, machine users and the audit log", () => {
    expect([...rolePermissions("owner")].sort()).toEqual([...PERMISSIONS].sort());
    const ownerOnly = PERMISSIONS.filter((permission) => !rolePermissions("member").has(permission)).sort();
    expect(ownerOnly).toEqual([
      "apiKeys.manageAll",
      "auditLog.read",
      "domains.write",
      "machineUsers.create",
      "people.write",
      "workspaces.write",
    ]);
  });

  it("offers resource.action scopes for the docs page's seven resources, analytics and the audit log read-only, and the two options", () => {
    const expected = KEY_RESOURCES.flatMap((resource) => resource.actions.map((action) => `${resource.id}.${action}`));
    expect([...KEY_SCOPES].sort()).toEqual([...expected, "apiKeys.manageAll", "machineUsers.create"].sort());
    expect(KEY_SCOPES).not.toContain("analytics.write");
    expect(KEY_SCOPES).not.toContain("auditLog.write");
  });

  it.each(PERMISSIONS)("%s: a role holds it exactly when the table lists the role", (permission) => {
    for (const role of ROLES) {
      expect(rolePermissions(role).has(permission)).toBe((PERMISSION_TABLE[permission].roles as readonly Role[]).includes(role));
    }
  });

  it.each(PERMISSIONS)("%s: a key holds it only as a scope it shows; an option needs a resource level", (permission) => {
    const grant = PERMISSION_TABLE[permission].keys;
    expect(KEY_SCOPES.includes(permission)).toBe(grant.kind !== "never");
    if (grant.kind === "option") {
      expect(KEY_SCOPES).toContain(grant.needs);
      expect(PERMISSION_TABLE[grant.needs as Permission].keys.kind).toBe("scope");
    }
  });

  it("no key permission is implied by another: API Keys write alone manages only the owner's keys", () => {
    const effective = effectiveKeyPermissions(scopesForKind("restricted", { apiKeys: "write" }), "owner");
    expect([...effective].sort()).toEqual(["apiKeys.read", "apiKeys.write"]);
  });

  it("a Restricted key's options are kept only with the level they need", () => {
    const options = KEY_OPTIONS.map((option) => option.permission);
    expect(scopesForKind("restricted", { apiKeys: "read" }, options)).toEqual(["apiKeys.read"]);
    expect(scopesForKind("restricted", { apiKeys: "write" }, options)).toEqual(["apiKeys.read", "apiKeys.write", ...options]);
  });

  it("knows its own names and nothing else", () => {
    expect(PERMISSIONS.every(isPermission)).toBe(true);
    expect(isPermission("campaigns.delete")).toBe(false);
    expect(isPermission("__proto__")).toBe(false);
  });
});

describe("key kinds", () => {
  it("All permissions is every scope; Read only is every read scope", () => {
    expect(scopesForKind("all")).toEqual(KEY_SCOPES);
    expect(scopesForKind("read_only")).toEqual(KEY_SCOPES.filter((scope) => scope.endsWith(".read")));
  });

  it("Restricted gives per resource what was picked, write implying read, and nothing for none", () => {
    expect(scopesForKind("restricted", {})).toEqual([]);
    expect(scopesForKind("restricted", { campaigns: "write", analytics: "read", tags: "none" })).toEqual([
      "campaigns.read",
      "campaigns.write",
      "analytics.read",
    ]);
    expect(() => scopesForKind("restricted", { analytics: "write" })).toThrow(RangeError);
  });

  it("round-trips the per-resource picker", () => {
    for (const resource of KEY_RESOURCES) {
      for (const level of ["none", ...resource.actions] as const) {
        const access = accessFromScopes(scopesForKind("restricted", { [resource.id]: level }));
        expect(access[resource.id]).toBe(level);
      }
    }
  });
});

describe("effective key permissions = key scopes ∩ owner's role", () => {
  const cases = KEY_KINDS.flatMap((kind) => ROLES.map((role) => [kind, role] as const));

  it.each(cases)("a %s key owned by a %s", (kind, role) => {
    const scopes = scopesForKind(kind, { campaigns: "write", apiKeys: "write" });
    const effective = effectiveKeyPermissions(scopes, role);
    for (const permission of PERMISSIONS) {
      const row = PERMISSION_TABLE[permission];
      const roleHolds = (row.roles as readonly Role[]).includes(role);
      const keyHolds = row.keys.kind !== "never" && scopes.includes(permission);
      expect(effective.has(permission), `${permission}`).toBe(roleHolds && keyHolds);
    }
  });

  it("shrinks at once when the owner is demoted", () => {
    const scopes = scopesForKind("all");
    expect(effectiveKeyPermissions(scopes, "owner").has("workspaces.write")).toBe(true);
    expect(effectiveKeyPermissions(scopes, "member").has("workspaces.write")).toBe(false);
  });

  it("ignores unknown scope strings", () => {
    expect([...effectiveKeyPermissions(["admin", "campaigns.delete"], "owner")]).toEqual([]);
  });
});

describe("requirePermission", () => {
  it.each(PERMISSIONS)("refuses %s when missing, naming it, and allows it when held", (permission) => {
    expect(() => requirePermission(principal("owner", [permission]), permission)).not.toThrow();
    for (const apiKey of [false, true]) {
      const others = PERMISSIONS.filter((other) => other !== permission);
      try {
        requirePermission(principal("owner", others, apiKey), permission);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        const appError = error as AppError;
        expect(appError.status).toBe(403);
        expect(appError.details.requiredPermission).toBe(permission);
        expect(appError.message).toContain(`"${permission}"`);
        expect(appError.message).toContain(PERMISSION_TABLE[permission].description);
      }
    }
  });
});

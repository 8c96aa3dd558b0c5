import { describe, expect, it } from "vitest";
import { OPERATIONS } from "@/server/api/registry";
import {
  KEY_KINDS,
  ROLES,
  effectiveKeyPermissions,
  rolePermissions,
  scopesForKind,
  type KeyKind,
  type Permission,
  type Role,
} from "@/server/auth/permissions";
import { mintKey } from "../support/api";
import { inProcessFetch } from "../support/routes";
import { lazy, scopesWithout, tenant } from "../support/helpers";

// Generated from the registry and the permission table: every /api/v1 operation × every key kind × keys owned
// by owners and by members. Authentication and the permission check come before any validation, so a call
// with placeholder ids is enough to see the decision. A new operation is covered as soon as it is registered.

const fetchInProcess = inProcessFetch();

function call(operation: (typeof OPERATIONS)[number], key?: string) {
  const path = operation.path.replace(/\{[^}]+\}/g, "placeholder");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const body = ["POST", "PUT", "PATCH"].includes(operation.method) ? "{}" : undefined;
  return fetchInProcess(new Request(`http://heyoo.test${path}`, { method: operation.method, headers, body }));
}

type Variant = { label: string; kind: KeyKind; permissions?: Permission[] };

function variants(permission: Permission | null): Variant[] {
  const kinds: Variant[] = KEY_KINDS.filter((kind) => kind !== "restricted").map((kind) => ({ label: kind, kind }));
  if (!permission) return [...kinds, { label: "restricted to tags.read", kind: "restricted", permissions: ["tags.read"] }];
  return [
    ...kinds,
    { label: `restricted to ${permission}`, kind: "restricted", permissions: [permission] },
    { label: `restricted to all but ${permission}`, kind: "restricted", permissions: scopesWithout(permission) },
  ];
}

const team = lazy(tenant);

describe.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))("%s", (_, operation) => {
  it("without a key: 401", async () => {
    const response = await call(operation);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  const cases = variants(operation.permission).flatMap((variant) => ROLES.map((role) => ({ ...variant, role })));

  it.each(cases)("a $label key of a $role", async ({ kind, permissions, role }) => {
    const { owner, member } = await team();
    const creator = role === "owner" ? owner : member;
    // A restricted key can only list what its creator holds; asking for more is refused at creation.
    const held = permissions?.filter((scope) => rolePermissions(role).has(scope));
    if (permissions && held!.length < permissions.length) {
      await expect(mintKey(creator, { kind, permissions })).rejects.toMatchObject({ code: "forbidden" });
    }
    if (held?.length === 0) return;
    const minted = await mintKey(creator, { kind, permissions: held });
    const response = await call(operation, minted.key);
    const body = response.status === 204 ? null : ((await response.json()) as Record<string, unknown>);
    const allowed = operation.permission === null || effectiveKeyPermissions(minted.permissions, role as Role).has(operation.permission);
    if (allowed) {
      expect([401, 403]).not.toContain(response.status);
    } else {
      expect(response.status).toBe(403);
      expect(body).toMatchObject({ code: "forbidden", requiredPermission: operation.permission });
    }
    // The scopes the key holds were decided by the table too: never more than its creator's role.
    expect(minted.permissions.every((scope) => scopesForKind("all").includes(scope as Permission))).toBe(true);
  });
});

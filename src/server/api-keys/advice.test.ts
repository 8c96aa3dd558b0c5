import { describe, expect, it } from "vitest";
import { KEY_OPTIONS, KEY_SCOPES, PERMISSION_TABLE, scopesForKind, type Permission } from "@/server/auth/permissions";
import { permissionAdvice, smallestScopesFor } from "./advice";

// The advice reads the permission table: every scope a key can hold, used alone, is checked from it.

describe("permissionAdvice", () => {
  const everything = scopesForKind("all");

  it.each(KEY_SCOPES)("keeps %s when it is used, with what it needs, and calls the rest unused", (permission) => {
    const advice = permissionAdvice(everything, [permission]);
    const option = KEY_OPTIONS.find((candidate) => candidate.permission === permission);
    const needs = new Set<Permission>([permission]);
    if (option) needs.add(option.needs);
    for (const needed of [...needs]) if (needed.endsWith(".write")) needs.add(needed.replace(".write", ".read") as Permission);
    expect(new Set(advice.restrictTo)).toEqual(needs);
    expect(advice.used).toEqual([permission]);
    expect(advice.unused).toEqual(everything.filter((held) => !needs.has(held)));
    // What restricting leaves is a valid Restricted key: it is its own smallest set.
    expect(smallestScopesFor(advice.restrictTo!)).toEqual(advice.restrictTo);
  });

  it("has nothing to restrict when every held permission is used or needed", () => {
    expect(permissionAdvice(["campaigns.read", "campaigns.write"], ["campaigns.write"])).toEqual({
      used: ["campaigns.write"],
      unused: [],
      restrictTo: null,
    });
  });

  it("cannot restrict a key that used nothing: it would be left without permissions", () => {
    expect(permissionAdvice(["tags.read", "domains.read"], [])).toEqual({
      used: [],
      unused: ["domains.read", "tags.read"],
      restrictTo: null,
    });
  });

  it("ignores a permission used but no longer held, and one that keys never hold", () => {
    const advice = permissionAdvice(["tags.read", "campaigns.read"], ["campaigns.write", "people.write", "tags.read"]);
    expect(advice).toEqual({ used: ["tags.read"], unused: ["campaigns.read"], restrictTo: ["tags.read"] });
    expect(PERMISSION_TABLE["people.write"].keys.kind).toBe("never");
  });
});

import { describe, expect, it } from "vitest";
import { RESERVED_SLUGS, slugSchema, slugify } from "./schemas";

describe("slugs", () => {
  it.each([
    ["Acme Inc.", "acme-inc"],
    ["  Ünïcödé  Tëam ", "unicode-team"],
    ["A", "a-team"],
    ["!!!", "workspace-team"],
    ["x".repeat(80), "x".repeat(40)],
  ])("slugify(%j) = %j, a valid slug", (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slugSchema.safeParse(slugify(name)).success).toBe(true);
  });

  it.each(["ab", "-acme", "acme-", "ac--me", "ac me", "a".repeat(49), "acme/x", ...RESERVED_SLUGS])("refuses %j", (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(false);
  });

  it("lower-cases and trims", () => {
    expect(slugSchema.parse("  Acme-Team ")).toBe("acme-team");
  });
});

import { describe, expect, it } from "vitest";
import { GRACE_PERIODS, MAX_ALLOWLIST_ENTRIES, ipAllowlistSchema } from "@/server/api-keys/schemas";
import { GRACE_CHOICES, allowlistEntries, allowlistProblem } from "./shared";

// The dialogs check an allowlist in the browser before sending it, and offer the roll's grace periods, without
// loading the server's zod schemas: these cases hold the two sides to the same answers.

describe("the allowlist field", () => {
  it("splits on lines and commas, trims, and drops blanks", () => {
    expect(allowlistEntries(" 203.0.113.7 ,\n\n2001:db8::/32\r\n, ,10.0.0.0/8 ")).toEqual(["203.0.113.7", "2001:db8::/32", "10.0.0.0/8"]);
    expect(allowlistEntries("")).toEqual([]);
    expect(allowlistEntries(" \n , ")).toEqual([]);
  });

  it.each([
    [[]],
    [["203.0.113.7"]],
    [["203.0.113.0/24", "2001:db8::/32", "::ffff:10.0.0.1", "[2001:db8::1]"]],
    [["203.0.113.300"]],
    [["203.0.113.0/33"]],
    [["10.0.0.1", "not an address", "also bad"]],
    [["010.0.0.1"]],
    [["2001:db8::/129"]],
    [["1".repeat(65)]],
    [Array.from({ length: MAX_ALLOWLIST_ENTRIES }, (_, index) => `10.0.${Math.floor(index / 256)}.${index % 256}`)],
    [Array.from({ length: MAX_ALLOWLIST_ENTRIES + 1 }, (_, index) => `10.0.${Math.floor(index / 256)}.${index % 256}`)],
  ])("says what the server says of %j", (entries) => {
    const server = ipAllowlistSchema.safeParse(entries);
    const problem = allowlistProblem(entries);
    if (server.success) expect(problem).toBeNull();
    else expect(server.error.issues.map((issue) => issue.message)).toContain(problem);
  });
});

describe("the roll dialog's grace periods", () => {
  it("offer every grace period the server takes, in order", () => {
    expect(Object.fromEntries(GRACE_CHOICES.map((choice) => [choice.value, choice.ms]))).toEqual(GRACE_PERIODS);
    expect(GRACE_CHOICES.map((choice) => choice.value)).toEqual(Object.keys(GRACE_PERIODS));
  });
});

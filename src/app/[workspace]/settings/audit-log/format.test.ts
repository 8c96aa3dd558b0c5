import { describe, expect, it } from "vitest";
import { changeLines, shortUserAgent, valueText } from "./format";

describe("shortUserAgent", () => {
  it.each([
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox 133 on macOS"],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Edge 131 on Windows",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      "Chrome 131 on Android",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari 17 on iOS",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
      "Chrome 131 on Linux",
    ],
    ["curl/8.5.0", "curl/8.5.0"],
    ["node", "node"],
    [`tool/${"x".repeat(60)}`, `tool/${"x".repeat(34)}…`],
    ["   ", "Unknown client"],
  ])("%s → %s", (userAgent, expected) => {
    expect(shortUserAgent(userAgent)).toBe(expected);
  });
});

describe("changeLines", () => {
  it("puts changes as from → to and details as values, codes in words, instants in UTC", () => {
    expect(
      changeLines({
        role: { from: "member", to: "owner" },
        expiresAt: { from: null, to: "2027-02-01T00:00:00.000Z" },
        ipAllowlist: { from: ["203.0.113.0/24"], to: [] },
        gracePeriod: "24h",
        permissions: ["tags.read", "campaigns.write"],
      }),
    ).toEqual([
      { field: "role", label: "Role", from: "Member", to: "Owner" },
      { field: "expiresAt", label: "Expires", from: "Never", to: "2027-02-01 00:00 UTC" },
      { field: "ipAllowlist", label: "IP allowlist", from: "203.0.113.0/24", to: "Any address" },
      { field: "gracePeriod", label: "Grace period", value: "24 hours" },
      { field: "permissions", label: "Permissions", value: "tags.read, campaigns.write" },
    ]);
  });

  it("leaves names as they are, even when they look like a code", () => {
    expect(valueText("name", "all")).toBe("all");
    expect(valueText("kind", "all")).toBe("All permissions");
    expect(changeLines(null)).toEqual([]);
    expect(changeLines({ unknownField: { nested: true } })).toEqual([
      { field: "unknownField", label: "unknownField", value: '{"nested":true}' },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { exactText, expiryState, relativeText } from "./relative-time";

const NOW = Date.UTC(2026, 11, 1, 9, 30);
const MINUTE = 60_000;
const DAY = 86_400_000;

describe("relativeText", () => {
  it.each([
    [0, "just now"],
    [-44_000, "just now"],
    [20_000, "just now"],
    [-3 * MINUTE, "3 minutes ago"],
    [-3 * MINUTE - 20_000, "3 minutes ago"],
    [-50 * MINUTE, "1 hour ago"],
    [5 * 60 * MINUTE, "in 5 hours"],
    [-DAY, "yesterday"],
    [DAY, "tomorrow"],
    [5 * DAY, "in 5 days"],
    [5 * DAY - 57 * MINUTE, "in 5 days"],
    [30 * DAY, "in 30 days"],
    [60 * DAY, "in 2 months"],
    [90 * DAY, "in 3 months"],
    [-400 * DAY, "last year"],
    [3 * 365 * DAY, "in 3 years"],
  ])("%d ms from now reads %s", (delta, text) => {
    expect(relativeText(NOW + delta, NOW)).toBe(text);
  });
});

describe("exactText", () => {
  it("is the same everywhere before hydration: English, UTC", () => {
    expect(exactText(NOW, false)).toBe("Dec 1, 2026, 9:30 AM UTC");
  });
});

describe("expiryState", () => {
  it.each([
    [null, "none"],
    [new Date(NOW - 1).toISOString(), "expired"],
    [new Date(NOW).toISOString(), "expired"],
    [new Date(NOW + 7 * DAY).toISOString(), "soon"],
    [new Date(NOW + 7 * DAY + 1).toISOString(), "later"],
  ])("%s is %s", (iso, state) => {
    expect(expiryState(iso, NOW)).toBe(state);
  });
});

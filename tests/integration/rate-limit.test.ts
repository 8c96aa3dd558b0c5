import { describe, expect, it } from "vitest";
import * as meRoute from "@/app/api/v1/me/route";
import { config } from "@/server/config";
import { createTeam } from "../support/factories";
import { call, mintKey } from "../support/api";

describe("API rate limits", () => {
  it("count per key, announce the policy, and answer 429 with Retry-After once spent", async () => {
    const { owner } = await createTeam();
    const { key } = await mintKey(owner);
    const other = await mintKey(owner);
    const limit = config().API_RATE_LIMIT;
    const window = config().API_RATE_LIMIT_WINDOW_SECONDS;

    const first = await call(meRoute.GET, "GET", "/api/v1/me", { key });
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-policy")).toBe(`"default";q=${limit};w=${window}`);
    expect(first.headers.get("ratelimit")).toMatch(new RegExp(`^"default";r=${limit - 1};t=\\d+$`));

    for (let i = 1; i < limit; i++) expect((await call(meRoute.GET, "GET", "/api/v1/me", { key })).status).toBe(200);

    const limited = await call(meRoute.GET, "GET", "/api/v1/me", { key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(window);
    expect(limited.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
    expect(limited.json).toMatchObject({ status: 429, code: "rate_limited" });

    // Another key of the same workspace has its own budget.
    expect((await call(meRoute.GET, "GET", "/api/v1/me", { key: other.key })).status).toBe(200);
  });
});

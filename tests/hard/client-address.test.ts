// Issue 12, item 2 against the production server: the address a key's allowlist is checked against is the
// socket's peer, or what the configured trusted proxies appended to X-Forwarded-For; never what a client wrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../scripts/db/test-database";
import { skipReason } from "./support/prereqs";
import { startServer, type RunningServer } from "./support/server";
import { loadServices, type Services } from "./support/services";

const skip = skipReason("client-address.test.ts");

describe.skipIf(skip)("the client address of a key's allowlist, on next start", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let services: Services;
  let direct: RunningServer;
  let behindProxy: RunningServer;
  let pinned: string;
  let local: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    services = await loadServices(database.url);
    [direct, behindProxy] = await Promise.all([
      startServer({ name: "no proxy", databaseUrl: database.url }),
      startServer({ name: "one proxy", databaseUrl: database.url, env: { TRUSTED_PROXY_HOPS: "1" } }),
    ]);
    const team = await services.createTeam();
    pinned = (await services.mintKey(team.owner, { name: "Pinned", ipAllowlist: ["203.0.113.0/24"] })).key;
    local = (await services.mintKey(team.owner, { name: "Local", ipAllowlist: ["127.0.0.1", "::1"] })).key;
  });

  afterAll(async () => {
    await Promise.all([direct?.stop(), behindProxy?.stop()]);
    await services?.close();
    await database?.drop();
  });

  const me = (server: RunningServer, key: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${key}`, ...headers } });

  it("with no proxy in front, the socket decides: a forged X-Forwarded-For, X-Real-IP or peer header changes nothing", async () => {
    expect((await me(direct, local)).status).toBe(200);
    const forgeries: Record<string, string>[] = [
      { "x-forwarded-for": "203.0.113.5" },
      { "x-real-ip": "203.0.113.5" },
      { "x-heyoo-peer": "anything 203.0.113.5" },
      { "x-forwarded-for": "203.0.113.5, 203.0.113.6" },
    ];
    for (const forged of forgeries) {
      const answer = await me(direct, pinned, forged);
      expect(answer.status, JSON.stringify(forged)).toBe(403);
      const body = (await answer.json()) as { code: string; detail: string };
      expect(body.code).toBe("ip_not_allowed");
      expect(body.detail).toMatch(/from (127\.0\.0\.1|::1):/);
    }
  });

  it("behind one trusted proxy, the entry that proxy appended decides, and entries written before it are ignored", async () => {
    expect((await me(behindProxy, pinned, { "x-forwarded-for": "203.0.113.5" })).status).toBe(200);
    expect((await me(behindProxy, pinned, { "x-forwarded-for": "198.51.100.1, 203.0.113.5" })).status).toBe(200);
    const forged = await me(behindProxy, pinned, { "x-forwarded-for": "203.0.113.5, 198.51.100.1" });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { detail: string }).detail).toContain("from 198.51.100.1:");
    // No X-Forwarded-For at all: the request did not come through the proxy; the socket is the client.
    expect((await me(behindProxy, local)).status).toBe(200);
  });
});

import { describe, expect, it, vi } from "vitest";
import { generateApiKey } from "@/server/api-keys/key-format";
import { db } from "@/server/db";
import { mintKey } from "../support/api";
import { createTeam, unique } from "../support/factories";
import { send } from "../support/operation-calls";

// Guessing keys costs the guesser, not the database: failed authentications are counted per client address
// (API_AUTH_MAX_FAILURES_PER_IP, 100 by default), and once spent, the address gets 429 before any lookup.
const LIMIT = vi.hoisted(() => {
  // Before any import: the server's settings are read once, when its database module loads.
  process.env.API_AUTH_MAX_FAILURES_PER_IP = "20";
  return 20;
});

/** A fresh client address, as the trusted proxy (one hop) appends it. */
function address(): Record<string, string> {
  const octet = () => Math.floor(Math.random() * 250) + 1;
  return { "x-forwarded-for": `203.0.113.${octet()}, 198.51.${octet()}.${octet()}` };
}

describe("failed authentication is limited per client address", () => {
  it(`after ${LIMIT} unknown keys an address gets 429 with Retry-After, and a further guess is never looked up`, async () => {
    const headers = address();
    for (let i = 0; i < LIMIT; i++) {
      const answer = await send(generateApiKey().key, "GET", "/api/v1/me", { headers });
      expect(answer.status).toBe(401);
    }
    const limited = await send(generateApiKey().key, "GET", "/api/v1/me", { headers });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: "rate_limited" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    // Blocked before the lookup: even a valid key from that address waits, and is never authenticated (its
    // first use would have set lastUsedAt).
    const { owner } = await createTeam();
    const { key, id } = await mintKey(owner, { name: unique("Valid") });
    const before = await db.apiKey.findUniqueOrThrow({ where: { id }, select: { lastUsedAt: true } });
    expect((await send(key, "GET", "/api/v1/me", { headers })).status).toBe(429);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id }, select: { lastUsedAt: true } })).toEqual(before);

    // Other addresses are not affected.
    expect((await send(key, "GET", "/api/v1/me", { headers: address() })).status).toBe(200);
  });

  it("counts missing, malformed and expired keys and dead sessions alike", async () => {
    const headers = address();
    const attempts = [
      () => send(undefined, "GET", "/api/v1/me", { headers }),
      () => send("hey_short", "GET", "/api/v1/me", { headers }),
      () => send(undefined, "GET", "/api/v1/me", { headers: { ...headers, cookie: "authjs.session-token=forged" } }),
    ];
    for (let i = 0; i < LIMIT; i++) expect((await attempts[i % attempts.length]!()).status).toBe(401);
    expect((await send(undefined, "GET", "/api/v1/me", { headers })).status).toBe(429);
  });

  it("successful requests cost nothing against it", async () => {
    const headers = address();
    const { owner } = await createTeam();
    const { key } = await mintKey(owner, { name: unique("Busy") });
    for (let i = 0; i < LIMIT + 5; i++) expect((await send(key, "GET", "/api/v1/me", { headers })).status).toBe(200);
    expect((await send(generateApiKey().key, "GET", "/api/v1/me", { headers })).status).toBe(401);
  });
});

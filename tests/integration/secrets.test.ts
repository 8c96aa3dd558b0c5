import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/api-keys/key-format";
import { call } from "../support/api";
import { findLeaks, forgetSecret, leaksIn, recordExchange, redact, rememberApiKey, rememberSecret, type Leak } from "../support/secrets";

// The secret ledger checks itself: what tests/integration/setup.ts asserts after every file would find a leak
// if there were one. Each planted secret is forgotten after its test, so this file's own check stays green.

const planted: string[] = [];

function plant(what: Parameters<typeof rememberSecret>[1] = "password"): string {
  const value = rememberSecret(`planted-${randomBytes(8).toString("hex")}`, what);
  planted.push(value);
  return value;
}

afterEach(() => {
  for (const value of planted.splice(0)) forgetSecret(value);
});

function leakOf(value: string, partial: Partial<Leak>) {
  return expect.objectContaining({ redacted: redact(value), ...partial });
}

describe("the secret ledger", () => {
  it("finds a secret written to console.error, and says which kind and where without printing it", () => {
    const secret = plant("password");
    console.error("self-test of the secret ledger, base64 on purpose:", Buffer.from(`user:${secret}`).toString("base64"));
    const leaks = findLeaks();
    expect(leaks).toContainEqual(leakOf(secret, { what: "password", encoding: "base64", where: "console.error" }));
    expect(JSON.stringify(leaks)).not.toContain(secret);
  });

  it("finds a secret in an error body, an HTML page and a response header, in any of its encodings", async () => {
    const [inError, inHtml, inHeader] = [plant(), plant(), plant("session id")];
    await call(async () => Response.json({ detail: `Refused ${encodeURIComponent(`a b ${inError}`)}` }, { status: 422 }), "POST", "/x");
    const page = new Response(`<p>${inHtml}</p>`, { headers: { "content-type": "text/html; charset=utf-8" } });
    await recordExchange(new Request("http://heyoo.test/page"), page);
    await call(async () => new Response(null, { status: 204, headers: { "set-cookie": `sid=${inHeader}` } }), "DELETE", "/y");
    expect(findLeaks()).toEqual(
      expect.arrayContaining([
        leakOf(inError, { what: "password", encoding: "raw", where: "error body of POST /x → 422" }),
        leakOf(inHtml, { what: "password", encoding: "raw", where: "HTML of GET /page → 200" }),
        leakOf(inHeader, { what: "session id", where: "response headers of DELETE /y → 204" }),
      ]),
    );
  });

  it("remembers the key a successful creation returns and the Authorization a test sends", async () => {
    const created = generateApiKey().key;
    const sent = `Bearer ${generateApiKey().key}`;
    await call(async () => Response.json({ key: created }, { status: 201 }), "POST", "/api/v1/api-keys", {
      headers: { authorization: sent },
    });
    planted.push(created.slice(4), sent);
    expect(leaksIn(`token=${created.slice(4)}`, "a log line")).toEqual([
      leakOf(created.slice(4), { what: "API key", where: "a log line" }),
    ]);
    expect(leaksIn(JSON.stringify({ headers: { authorization: sent } }), "a log line")).toContainEqual(
      leakOf(sent, { what: "Authorization header" }),
    );
  });

  it("scans only what others see: the one answer that creates a key carries it by design", async () => {
    const key = rememberApiKey(generateApiKey().key);
    planted.push(key.slice(4));
    const before = findLeaks().length;
    await call(async () => Response.json({ key }, { status: 201 }), "POST", "/api/v1/api-keys");
    expect(findLeaks()).toHaveLength(before);
    await call(async () => Response.json({ key }, { status: 409 }), "POST", "/api/v1/api-keys");
    expect(findLeaks()).toContainEqual(leakOf(key.slice(4), { what: "API key", where: "error body of POST /api/v1/api-keys → 409" }));
  });

  it("refuses a secret too short to tell apart from ordinary text", () => {
    expect(() => rememberSecret("short", "password")).toThrow(/fewer than 8 characters/);
  });
});

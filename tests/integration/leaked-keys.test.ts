import { createHash, sign, type KeyObject } from "node:crypto";
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as leakedKeysRoute from "@/app/api/v1/leaked-keys/route";
import * as meRoute from "@/app/api/v1/me/route";
import * as gitHubRoute from "@/app/api/v1/secret-scanning/github/route";
import { generateApiKey } from "@/server/api-keys/key-format";
import { buildOpenApiDocument } from "@/server/api/openapi";
import { db } from "@/server/db";
import { reportGitHubSecretScanning, reportLeakedKeys } from "@/server/leaks/endpoints";
import { apiReference } from "@/app/docs/api/reference";
import { proxy } from "@/proxy";
import { call, mintKey } from "../support/api";
import { createTeam, unique } from "../support/factories";

// Leaked-key revocation through its two public doors: GitHub's secret scanning partner program (signed reports)
// and the public revocation endpoint (anyone, no account). GitHub's key is played by a P-256 pair made here and
// configured through SECRET_SCANNING_GITHUB_KEYS, as an operator pins GitHub's keys.

const { gitHub, impostor, LEAK_REPORTS_PER_IP } = await vi.hoisted(async () => {
  // Before any import: the server's settings are read once, on first use, and kept.
  const { generateKeyPairSync } = await import("node:crypto");
  const pair = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const gitHub = { ...pair(), identifier: "f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d" };
  const retired = pair();
  process.env.SECRET_SCANNING_GITHUB_KEYS = JSON.stringify({
    public_keys: [
      { key_identifier: "0123retired", key: retired.publicKey.export({ type: "spki", format: "pem" }), is_current: false },
      { key_identifier: gitHub.identifier, key: gitHub.publicKey.export({ type: "spki", format: "pem" }), is_current: true },
    ],
  });
  process.env.LEAK_REPORTS_PER_IP = "5";
  return { gitHub, impostor: pair(), LEAK_REPORTS_PER_IP: 5 };
});

const GITHUB_PATH = "/api/v1/secret-scanning/github";
const REPORT_PATH = "/api/v1/leaked-keys";
const FOUND_AT = "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/.env";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A fresh client address, as the proxy in front appends it. */
function address(): string {
  const octet = () => Math.floor(Math.random() * 250) + 1;
  return `198.51.${octet()}.${octet()}`;
}

function signatureOf(body: string, key: KeyObject = gitHub.privateKey): string {
  return sign("sha256", Buffer.from(body), { key, dsaEncoding: "der" }).toString("base64");
}

interface Delivery {
  identifier?: string | null;
  signature?: string | null;
  headers?: Record<string, string>;
  ip?: string;
}

/** POSTs `body` (sent exactly as given) to the GitHub receiver, signed by "GitHub" unless told otherwise. */
function deliver(body: string, delivery: Delivery = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": delivery.ip ?? address(), "user-agent": "GitHub-Secret-Scanning/1.0" };
  const identifier = delivery.identifier === undefined ? gitHub.identifier : delivery.identifier;
  const signature = delivery.signature === undefined ? signatureOf(body) : delivery.signature;
  if (identifier !== null) headers["github-public-key-identifier"] = identifier;
  if (signature !== null) headers["github-public-key-signature"] = signature;
  return call(gitHubRoute.POST, "POST", GITHUB_PATH, { body, headers: { ...headers, ...delivery.headers } });
}

function report(body: unknown, ip: string = address(), headers: Record<string, string> = {}) {
  return call(leakedKeysRoute.POST, "POST", REPORT_PATH, {
    body,
    headers: { "x-forwarded-for": ip, "user-agent": "curl/8.5", ...headers },
  });
}

function me(key: string) {
  return call(meRoute.GET, "GET", "/api/v1/me", { key });
}

async function keyState(id: string) {
  const row = await db.apiKey.findUniqueOrThrow({ where: { id }, select: { leakedAt: true, leakSource: true, leakUrl: true } });
  const events = await db.auditEvent.findMany({ where: { targetId: id, action: "api_key.revoked_leaked" } });
  return { ...row, events };
}

/** A key in use (so the door has it in memory), with its owner's workspace. */
async function keyInUse() {
  const { owner, workspace } = await createTeam();
  const { key, id } = await mintKey(owner, { name: unique("Leaky") });
  expect((await me(key)).status).toBe(200);
  return { key, id, workspaceId: workspace.id };
}

// Every statement sent to PostgreSQL, while a test records them. Installed before this file's first query: the
// pool's clients bind `query` when they are made (src/server/db-pool.ts), so a later patch would see nothing.
let recording: string[] | null = null;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  recording?.push(typeof first === "string" ? first : String(first?.text));
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof originalQuery;
afterAll(() => {
  pg.Client.prototype.query = originalQuery;
});

/** The statements that read or write keys and audit events while `run` runs (the batched last-used writes left out). */
async function keyStatements(run: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  try {
    await run();
    return recording.filter((sql) => /"(ApiKey|AuditEvent)"/.test(sql) && !/SET "lastUsedAt" = v\.at/.test(sql));
  } finally {
    recording = null;
  }
}

/** The control of every "no statement" proof: the same recorder does see a report's statements. */
async function expectRecorderSeesReports() {
  expect(await keyStatements(() => report({ keys: [generateApiKey().key] }))).not.toEqual([]);
}

function expectProblem(answer: Awaited<ReturnType<typeof call>>, status: number, code?: string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  expect(answer.json).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(answer.headers.get("x-request-id")).toBe((answer.json as { requestId: string }).requestId);
}

describe("GitHub secret scanning: a signed report revokes the keys in it", () => {
  it("revokes a Heyoo key at once (the next request gets leaked_api_key), keeps its row, records one event, and answers GitHub's feedback", async () => {
    const { key, id, workspaceId } = await keyInUse();
    const neverIssued = generateApiKey().key;
    const ip = address();
    const matches = [
      { token: key, type: "heyoo_api_key", url: FOUND_AT, source: "content" },
      { token: neverIssued, type: "heyoo_api_key", url: "https://github.com/octocat/other/blob/main/x", source: "commit" },
      { token: "hey_looksLikeAKeyButIsNot", type: "heyoo_api_key", url: "", source: "issue_comment" },
    ];
    const answer = await deliver(JSON.stringify(matches), { ip });

    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual([
      { token_hash: sha256(key), token_type: "heyoo_api_key", label: "true_positive" },
      { token_hash: sha256(neverIssued), token_type: "heyoo_api_key", label: "false_positive" },
      { token_hash: sha256("hey_looksLikeAKeyButIsNot"), token_type: "heyoo_api_key", label: "false_positive" },
    ]);
    expect(answer.text).not.toContain(key);

    const refused = await me(key);
    expectProblem(refused, 401, "leaked_api_key");

    const state = await keyState(id);
    expect(state).toMatchObject({ leakSource: "github", leakUrl: FOUND_AT });
    expect(state.leakedAt).toBeInstanceOf(Date);
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({
      workspaceId,
      actorType: "scanner",
      actorId: null,
      actorName: "github",
      targetType: "api_key",
      targetId: id,
      ipAddress: ip,
      userAgent: "GitHub-Secret-Scanning/1.0",
      changes: { source: "github", url: FOUND_AT, location: "content" },
    });
    expect(state.events[0]!.occurredAt.getTime()).toBe(state.leakedAt!.getTime());
  });

  it("labels a key leaked before as a true positive again, and records no second event", async () => {
    const { key, id } = await keyInUse();
    const first = await deliver(JSON.stringify([{ token: key, type: "heyoo_api_key", url: FOUND_AT, source: "content" }]));
    expect(first.status).toBe(200);
    const before = await keyState(id);

    const again = await deliver(
      JSON.stringify([{ token: key, type: "heyoo_api_key", url: "https://github.com/elsewhere/x", source: "commit" }]),
    );
    expect(again.json).toEqual([{ token_hash: sha256(key), token_type: "heyoo_api_key", label: "true_positive" }]);
    const publicAgain = await report({ keys: [key], url: "https://paste.example/1" });
    expect(publicAgain.status).toBe(202);

    expect(await keyState(id)).toEqual(before);
    expect(before.events).toHaveLength(1);
  });

  it("revokes each key of a batch once, with the URL of its first match, and several keys of one report at once", async () => {
    const [a, b] = [await keyInUse(), await keyInUse()];
    const matches = [
      { token: a.key, type: "heyoo_api_key", url: "https://github.com/o/r/blob/1/a" },
      { token: b.key, type: "heyoo_api_key", url: "https://github.com/o/r/blob/1/b", source: "commit" },
      { token: a.key, type: "heyoo_api_key", url: "https://github.com/o/r/blob/1/a-again" },
    ];
    const answer = await deliver(JSON.stringify(matches));
    expect((answer.json as unknown as { label: string }[]).map((entry) => entry.label)).toEqual([
      "true_positive",
      "true_positive",
      "true_positive",
    ]);
    expect(await keyState(a.id)).toMatchObject({ leakUrl: "https://github.com/o/r/blob/1/a", events: [expect.anything()] });
    expect(await keyState(b.id)).toMatchObject({ leakUrl: "https://github.com/o/r/blob/1/b", events: [expect.anything()] });
    expect((await keyState(a.id)).events[0]!.changes).toEqual({ source: "github", url: "https://github.com/o/r/blob/1/a" });
  });

  it("answers an empty report with an empty feedback, and false positives without a database statement", async () => {
    expect((await deliver("[]")).json).toEqual([]);
    const statements = await keyStatements(async () => {
      const answer = await deliver(
        JSON.stringify([
          { token: "hey_short", type: "heyoo_api_key", url: "" },
          { token: "ghp_other", type: "x" },
        ]),
      );
      expect(answer.status).toBe(200);
    });
    expect(statements).toEqual([]);
    await expectRecorderSeesReports();
  });
});

describe("GitHub secret scanning: anything but GitHub's signature of these exact bytes is a 401 that revokes nothing", () => {
  const bodyFor = (key: string) => JSON.stringify([{ token: key, type: "heyoo_api_key", url: FOUND_AT, source: "content" }]);

  const cases: [string, (body: string) => Parameters<typeof deliver>][] = [
    ["no signature headers at all", (body) => [body, { identifier: null, signature: null }]],
    ["no signature", (body) => [body, { signature: null }]],
    ["no key identifier", (body) => [body, { identifier: null }]],
    ["an empty signature", (body) => [body, { signature: "" }]],
    [
      "an identifier GitHub does not have",
      (body) => [body, { identifier: "0000000000000000000000000000000000000000000000000000000000000000" }],
    ],
    ["a retired key's identifier (the signature is the current key's)", (body) => [body, { identifier: "0123retired" }]],
    ["a signature by another key", (body) => [body, { signature: signatureOf(body, impostor.privateKey) }]],
    [
      "a tampered body (a URL changed after signing)",
      (body) => [body.replace("Hello-World", "Hello-Worle"), { signature: signatureOf(body) }],
    ],
    ["a tampered body (whitespace added after signing)", (body) => [` ${body}`, { signature: signatureOf(body) }]],
    ["a signature of another body", (body) => [body, { signature: signatureOf("[]") }]],
    ["a signature that is not base64", (body) => [body, { signature: "not base64!" }]],
    ["a signature that is not DER", (body) => [body, { signature: Buffer.from("x".repeat(70)).toString("base64") }]],
    ["an absurdly long signature", (body) => [body, { signature: "A".repeat(5000) }]],
    ["an absurdly long identifier", (body) => [body, { identifier: "a".repeat(5000) }]],
  ];

  it.each(cases)("%s", async (_, build) => {
    const { key, id } = await keyInUse();
    const answer = await deliver(...build(bodyFor(key)));
    expectProblem(answer, 401, "invalid_signature");
    expect(answer.text).not.toContain(key);
    expect((await me(key)).status).toBe(200);
    expect(await keyState(id)).toEqual({ leakedAt: null, leakSource: null, leakUrl: null, events: [] });
  });

  it("checks the signature before reading the body as JSON: an unsigned malformed body is a 401, not a 400", async () => {
    expectProblem(await deliver("[{not json", { signature: signatureOf("[]") }), 401, "invalid_signature");
    expectProblem(await deliver("[{not json", { identifier: null }), 401, "invalid_signature");
  });
});

describe("GitHub secret scanning: a malformed report never gets a 5xx", () => {
  const many = (count: number) => JSON.stringify(Array.from({ length: count }, () => ({ token: "hey_x", type: "heyoo_api_key", url: "" })));
  const cases: [string, number, string, Record<string, string>?][] = [
    ["not JSON", 400, "[{"],
    ["empty", 400, ""],
    ["JSON, not an array", 422, '{"token":"hey_x"}'],
    ["null", 422, "null"],
    ["an array of strings", 422, '["hey_x"]'],
    ["a token of the wrong type", 422, '[{"token":5,"type":"heyoo_api_key"}]'],
    ["no type", 422, '[{"token":"hey_x"}]'],
    ["a token with whitespace", 422, '[{"token":"hey x","type":"t"}]'],
    ["a URL with whitespace", 422, '[{"token":"hey_x","type":"t","url":"https://a b"}]'],
    ["more than 1000 matches", 422, many(1001)],
    ["a body over 1 MiB", 413, JSON.stringify([{ token: "hey_x", type: "t", url: `https://x/${"a".repeat(1024 * 1024)}` }])],
    ["text/plain", 415, "[]", { "content-type": "text/plain" }],
    ["no content type", 415, "[]", { "content-type": "" }],
    ["__proto__ in a match", 200, '[{"token":"hey_x","type":"t","__proto__":{"polluted":1}}]'],
  ];

  it.each(cases)("%s → %i", async (_, status, body, headers) => {
    const answer = await deliver(body, { headers });
    expect(answer.status, answer.text).toBe(status);
    if (status >= 400) expectProblem(answer, status);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts exactly 1000 matches, each answered in order", async () => {
    const answer = await deliver(many(1000));
    expect(answer.status).toBe(200);
    expect(answer.json).toHaveLength(1000);
  });

  it("reads GitHub's exact sample payload, with fields it may add ignored", async () => {
    const body =
      '[{"source":"commit","token":"some_token","type":"some_type","url":"https://example.com/base-repo-url/","new_field":{"x":1}}]';
    const answer = await deliver(body);
    expect(answer.json).toEqual([{ token_hash: sha256("some_token"), token_type: "some_type", label: "false_positive" }]);
  });
});

describe("the public revocation endpoint", () => {
  it("revokes an existing key with the URL given, as a public report with one audit event", async () => {
    const { key, id, workspaceId } = await keyInUse();
    const ip = address();
    const answer = await report({ keys: [key], url: "https://paste.example/raw/abc" }, ip);
    expect(answer.status, answer.text).toBe(202);
    expect(answer.json).toEqual({ received: 1 });
    expectProblem(await me(key), 401, "leaked_api_key");
    const state = await keyState(id);
    expect(state).toMatchObject({ leakSource: "public_report", leakUrl: "https://paste.example/raw/abc" });
    expect(state.events).toHaveLength(1);
    expect(state.events[0]).toMatchObject({
      workspaceId,
      actorType: "scanner",
      actorName: "public_report",
      ipAddress: ip,
      userAgent: "curl/8.5",
      changes: { source: "public_report", url: "https://paste.example/raw/abc" },
    });
  });

  it("answers an existing key and a never-issued one byte for byte alike, running the same statements", async () => {
    const { key, id } = await keyInUse();
    const neverIssued = generateApiKey().key;
    const url = "https://paste.example/raw/same";
    let real: Awaited<ReturnType<typeof report>> | undefined;
    let unknown: Awaited<ReturnType<typeof report>> | undefined;
    const realStatements = await keyStatements(async () => (real = await report({ keys: [key], url })));
    const unknownStatements = await keyStatements(async () => (unknown = await report({ keys: [neverIssued], url })));

    expect(real!.status).toBe(202);
    expect(unknown!.text).toBe(real!.text);
    expect(unknown!.status).toBe(real!.status);
    const headerNames = (answer: typeof real) => [...answer!.headers.keys()].sort();
    expect(headerNames(unknown)).toEqual(headerNames(real));
    const sameFor = (answer: typeof real) =>
      Object.fromEntries([...answer!.headers].filter(([name]) => !["x-request-id", "ratelimit"].includes(name)));
    expect(sameFor(unknown)).toEqual(sameFor(real));
    expect(unknownStatements).toEqual(realStatements);
    expect(realStatements.length).toBeGreaterThan(0);
    // Only the real key was revoked.
    expect((await keyState(id)).leakSource).toBe("public_report");
  });

  it("refuses a report naming any key that fails the shape or checksum check with a 422 naming it, before any lookup", async () => {
    const { key, id } = await keyInUse();
    const typo = `${key.slice(0, -1)}${key.endsWith("0") ? "1" : "0"}`;
    let answer: Awaited<ReturnType<typeof report>> | undefined;
    const statements = await keyStatements(async () => (answer = await report({ keys: [key, typo, "hey_short", 42], url: FOUND_AT })));
    expectProblem(answer!, 422, "unprocessable_entity");
    expect(Object.keys((answer!.json as { errors: object }).errors).sort()).toEqual(["keys.1", "keys.2", "keys.3"]);
    expect(answer!.text).not.toContain(key.slice(4, -4));
    expect(statements).toEqual([]);
    await expectRecorderSeesReports();
    expect(await keyState(id)).toEqual({ leakedAt: null, leakSource: null, leakUrl: null, events: [] });
    expect((await me(key)).status).toBe(200);
  });

  const malformed: [string, number, unknown, Record<string, string>?][] = [
    ["not JSON", 400, "{"],
    ["an array", 422, []],
    ["no keys", 422, {}],
    ["an empty list of keys", 422, { keys: [] }],
    ["keys not a list", 422, { keys: "hey_x" }],
    ["101 keys", 422, { keys: Array.from({ length: 101 }, () => generateApiKey().key) }],
    ["an unknown field", 422, { keys: [generateApiKey().key], workspaceId: "x" }],
    ["a URL that is not http(s)", 422, { keys: [generateApiKey().key], url: "javascript:alert(1)" }],
    ["a URL that is too long", 422, { keys: [generateApiKey().key], url: `https://x.example/${"a".repeat(2000)}` }],
    ["a URL that is not text", 422, { keys: [generateApiKey().key], url: 5 }],
    ["a body over 16 KiB", 413, { keys: [generateApiKey().key], url: `https://x.example/${"a".repeat(20_000)}` }],
    ["text/plain", 415, JSON.stringify({ keys: [generateApiKey().key] }), { "content-type": "text/plain" }],
  ];

  it.each(malformed)("%s → %i problem+json", async (_, status, body, headers) => {
    expectProblem(await report(body, address(), headers), status);
  });

  it(`limits reports per client address (${LEAK_REPORTS_PER_IP} per window), refusals included, with Retry-After`, async () => {
    const ip = address();
    for (let i = 0; i < LEAK_REPORTS_PER_IP; i++) {
      const answer = await report(i % 2 ? { keys: ["hey_bad"] } : { keys: [generateApiKey().key] }, ip);
      expect(answer.status).toBe(i % 2 ? 422 : 202);
      expect(answer.headers.get("ratelimit")).toMatch(new RegExp(`^"leak-reports";r=${LEAK_REPORTS_PER_IP - i - 1};t=\\d+$`));
    }
    const limited = await report({ keys: [generateApiKey().key] }, ip);
    expectProblem(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit")).toMatch(/^"leak-reports";r=0;t=\d+$/);
    expect((await report({ keys: [generateApiKey().key] }, address())).status).toBe(202);
  });
});

describe("the public endpoints in the document and at the proxy", () => {
  const document = buildOpenApiDocument();

  it.each([reportGitHubSecretScanning, reportLeakedKeys])(
    "$id: a successful answer carries the RateLimit fields the document states",
    async (endpoint) => {
      const answer = endpoint === reportLeakedKeys ? await report({ keys: [generateApiKey().key] }) : await deliver("[]");
      expect(answer.status).toBe(endpoint.status);
      const documented = (
        document.paths[endpoint.path] as Record<
          string,
          { responses: Record<string, { headers: Record<string, { schema: { pattern: string } }> }> }
        >
      )["post"]!.responses[String(endpoint.status)]!.headers;
      expect(answer.headers.get("ratelimit")).toMatch(new RegExp(documented.RateLimit!.schema.pattern));
      expect(answer.headers.get("ratelimit-policy")).toMatch(new RegExp(documented["RateLimit-Policy"]!.schema.pattern));
      expect(answer.headers.get("cache-control")).toBe("no-store");
    },
  );

  it("are on the /docs/api reference as public, not as needing a key", () => {
    const operations = apiReference().flatMap((tag) => tag.operations);
    for (const endpoint of [reportGitHubSecretScanning, reportLeakedKeys]) {
      const view = operations.find((operation) => operation.id === endpoint.id)!;
      expect(view).toMatchObject({ method: "POST", path: endpoint.path, isPublic: true, permission: null });
      expect(view.description.join(" ")).not.toContain("No API key or session");
    }
    expect(
      operations
        .filter((operation) => operation.isPublic)
        .map((operation) => operation.id)
        .sort(),
    ).toEqual(["reportGitHubSecretScanning", "reportLeakedKeys"]);
  });

  it.each([GITHUB_PATH, REPORT_PATH])("%s answers another method with the API's 405, naming POST", async (path) => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE"]) {
      const answer = proxy(new NextRequest(`http://localhost${path}`, { method }));
      expect(answer.status, method).toBe(405);
      expect(answer.headers.get("allow")).toBe("OPTIONS, POST");
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});

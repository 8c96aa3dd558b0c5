import { createHash } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "@/server/api-keys/key-format";
import type { ApiOperation } from "@/server/api/operation";
import { buildOpenApiDocument } from "@/server/api/openapi";
import { OPERATIONS } from "@/server/api/registry";
import type { Principal } from "@/server/auth/principal";
import { replaceTxtLookup } from "@/server/domains/dns";
import { mintKey } from "../support/api";
import { createTeam } from "../support/factories";
import { neverExistingId } from "../support/helpers";
import {
  PATH_ID_SOURCES,
  hasValidBody,
  idSourceKey,
  keyPool,
  schemaFields,
  seedResources,
  send,
  validBody,
  type Resources,
} from "../support/operation-calls";
import { inProcessFetch } from "../support/routes";
import { workspaceSnapshot } from "../support/workspace-snapshot";

// Hostile input against every /api/v1 operation, generated from the registry: random and hostile path ids,
// query strings, headers, Authorization values and raw bodies (malformed JSON, duplicate keys, huge numbers,
// deep nesting, lone surrogates, RTL and zero-width characters, SQL and HTML payloads, wrong content types,
// oversized bodies). Every answer must be the operation's success status or a problem+json 4xx whose body
// names its status and a code; never a 5xx, never a stack trace. A refused request must leave the workspace's
// rows exactly as they were (row counts and an md5 of the rows, per table, before and after each request).
//
// Deterministic: a fixed seed per operation (FUZZ_SEED overrides the base; a failure prints the seed and the
// fast-check path to replay it). FUZZ_RUNS overrides the runs per operation.

const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 32);

const fetchInProcess = inProcessFetch();

// ---- The workspace under attack: one of every resource (and a draft campaign besides the sent one), and
// pools of owner keys, each retired well before the per-key rate limit, so requests reach validation.

type Ref = "campaign" | "sentCampaign" | "tag" | "domain" | "apiKey" | "rolledApiKey" | "workspace" | "workspaceSlug";

interface World {
  owner: Principal;
  resources: Resources;
  draftCampaignId: string;
}

let world: World;
let ownerKey: () => Promise<string>;
let readOnlyKey: () => Promise<string>;
let restoreDns: () => void;

beforeAll(async () => {
  // No network in tests: every TXT lookup finds nothing.
  restoreDns = replaceTxtLookup(async () => []);
  const { owner } = await createTeam();
  const resources = await seedResources(owner, "Fuzz");
  ownerKey = keyPool(owner, { name: "Fuzz owner", kind: "all" });
  readOnlyKey = keyPool(owner, { name: "Fuzz read-only", kind: "read_only" });
  const draft = await send(await ownerKey(), "POST", "/api/v1/campaigns", {
    body: { name: "Fuzz draft", subject: "Hello", tagIds: [resources.tagId] },
  });
  expect(draft.status).toBe(201);
  world = { owner, resources, draftCampaignId: draft.json!.id as string };
});

afterAll(() => restoreDns?.());

async function resolve(ref: Ref): Promise<string> {
  const { resources } = world;
  if (ref === "workspaceSlug") {
    // The slug may have been changed by an accepted PATCH.
    const workspace = await send(await ownerKey(), "GET", `/api/v1/workspaces/${resources.workspaceId}`);
    return workspace.json!.slug as string;
  }
  const ids: Record<Exclude<Ref, "workspaceSlug">, string> = {
    campaign: world.draftCampaignId,
    sentCampaign: resources.campaignId,
    tag: resources.tagId,
    domain: resources.domainId,
    apiKey: resources.apiKeyId,
    rolledApiKey: resources.rolledApiKeyId,
    workspace: resources.workspaceId,
  };
  return ids[ref];
}

// ---- What leaks look like. Generated text never contains these, so finding one in an answer means the
// server wrote it.

const LEAKS = [
  /\bat (?:async )?[^\s"]*\s?\(?(?:file:\/\/|node:|\/)[^\s")]*:\d+:\d+/, // a V8 stack frame
  /prisma/i,
  /Error:/i,
];

const safeText = (text: string) => LEAKS.every((leak) => !leak.test(text));

// ---- Text.

const HOSTILE_STRINGS = [
  "",
  " ",
  "\t\n\r",
  "null",
  "undefined",
  "true",
  "NaN",
  "-NaN",
  "Infinity",
  "-Infinity",
  "1e309",
  "-1e309",
  "-0",
  "0x10",
  "1_000",
  "١٢٣",
  "９",
  "' OR '1'='1",
  '\'; DROP TABLE "Campaign"; --',
  '" OR ""="',
  "1; SELECT pg_sleep(5)",
  "%",
  "%%",
  "_",
  "\\",
  "\\%",
  "$1",
  "$$",
  "E'\\\\x00'",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  '"><svg/onload=alert(1)>',
  "{{7*7}}",
  "${7*7}",
  "#{7*7}",
  "<!--",
  "]]>",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%2e%2e%2f",
  "file:///etc/passwd",
  "http://169.254.169.254/latest/meta-data/",
  "\u202Egnp.exe",
  "\u200B",
  "\u200D",
  "\u200E\u200F",
  "\uFEFF",
  "\u2028\u2029",
  "\uD800",
  "\uDFFF",
  "a\uDC00b",
  "\uDBFF\uDFFF",
  "👩‍👩‍👧‍👦",
  "e\u0301\u0301\u0301",
  "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒g͌̚o̔",
  "İıſK",
  "ß",
  "ﬃ",
  "\u0085",
  "\u00A0",
  "\u3000",
  "𝕳𝖊𝖞",
  "Newsletter",
  "NEWSLETTER",
  "#fff",
  "#GGGGGG",
  "#3B82F6",
  "draft",
  "scheduled",
  "sent",
  "opened",
  "all",
  "read_only",
  "restricted",
  "machine",
  "you",
  "owner",
  "campaigns.write",
  "analytics.read",
  "campaign,day",
  "hour,day",
  "Europe/Berlin",
  "+05:00",
  "2026-01-01T00:00:00Z",
  "2099-12-31T23:59:59Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999999999Z",
  "2026-02-30T00:00:00Z",
  "2026-01-01T00:00:00+99:00",
  "1970-01-01T00:00:00Z",
  "-271821-04-20T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "example.com",
  "xn--nxasmq6b.com",
  "ExAmPlE.CoM.",
  "a..b",
  "-a.com",
  "münchen.de",
  "localhost",
  "127.0.0.1",
  "[::1]",
  "*.example.com",
  "0x7f.1",
  "hey_",
  "Bearer x",
  "a".repeat(51),
  "a".repeat(65),
  "a".repeat(121),
  "a".repeat(201),
  "a".repeat(254),
  "x".repeat(10_000),
];

/** One code point of anything, NUL, lone surrogates and invisible characters included. */
const anyChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("\u202E", "\u202D", "\u200B", "\u200D", "\uFEFF", "\u0301", "'", '"', "\\", "%", "_", "<", "&", "\n"),
  },
);

const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 3, arbitrary: fc.string({ unit: anyChar, maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 40, maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom("a", "🙂", "\u202E", "\u200B", "ß", "'", "\uD800"), fc.integer({ min: 40, max: 3000 }))
        .map(([text, count]) => text.repeat(count)),
    },
  )
  .filter(safeText);

/** Property names an attacker tries: internal columns, operators, hostile text (not Object.prototype's: known bug). */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "workspaceId",
    "id",
    "role",
    "ownerId",
    "hashedKey",
    "createdAt",
    "prototype",
    "__proto__",
    "constructor",
    "toString",
    "$where",
    "a.b",
    "0",
    "",
  ),
  hostileText.filter((text) => text.length < 200),
);

// ---- JSON text, built by hand: number tokens JSON.stringify cannot write, duplicate keys, deep nesting.

const NUMBER_TOKENS = [
  "0",
  "-0",
  "1",
  "-1",
  "0.5",
  "1e309",
  "-1e309",
  "1e-400",
  "9007199254740993",
  "123456789012345678901234567890",
  "1.7976931348623157e308",
  "5e-324",
  "100",
  "101",
  "1000",
  "1001",
  "2147483648",
  "-2147483649",
  "1E2",
  "0.0",
  "-0.0e-0",
];

const jsonLeaf: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => JSON.stringify(text)) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TOKENS) },
  { weight: 1, arbitrary: fc.double().map((value) => (Number.isFinite(value) ? String(value) : "1e309")) },
  { weight: 1, arbitrary: fc.constantFrom("true", "false", "null", "[]", "{}") },
);

const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("array", "object"), fc.integer({ min: 20, max: 12_000 }))
  .map(([shape, depth]) =>
    shape === "array" ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

const { json: jsonValue } = fc.letrec<{ json: string; array: string; object: string }>((tie) => ({
  json: fc.oneof({ depthSize: "small", withCrossShrink: true }, jsonLeaf, tie("array"), tie("object")),
  array: fc.array(tie("json"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
  object: fc
    .array(fc.tuple(hostileKey, tie("json")), { maxLength: 4 })
    .map((pairs) => `{${pairs.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`),
}));

const hostileJson = fc.oneof({ weight: 6, arbitrary: jsonValue }, { weight: 1, arbitrary: deepJson });

// ---- Per operation: a valid body to start from, and the real ids that fit its path.

/** A body the operation accepts (shared with the other suites), else its documented example. */
function baseBody(operation: ApiOperation): Record<string, unknown> {
  if (operation.body && hasValidBody(operation)) return validBody(operation, world.resources)!;
  return (operation.example?.request ?? {}) as Record<string, unknown>;
}

const FITTING_REFS: Record<keyof Resources, Ref[]> = {
  campaignId: ["campaign", "sentCampaign"],
  tagId: ["tag"],
  domainId: ["domain"],
  apiKeyId: ["apiKey"],
  rolledApiKeyId: ["rolledApiKey"],
  workspaceId: ["workspace", "workspaceSlug"],
  workspaceSlug: ["workspaceSlug"],
};

/** Real ids that fit a path parameter (the right resource); none for a parameter without an id source yet. */
function fittingRefs(operation: ApiOperation, param: string): Ref[] {
  const source = PATH_ID_SOURCES[idSourceKey(operation, param)];
  return source ? FITTING_REFS[source] : [];
}

// ---- Requests, as plain data (readable when fast-check prints a counterexample); ids are resolved at run time.

type IdPlan = { ref: Ref } | { never: true } | { segment: string };
type Mutation =
  { op: "set" | "dup"; key: string; value: string } | { op: "extra"; key: string; value: string } | { op: "drop"; key: string };
type BodyPlan =
  { kind: "none" } | { kind: "text"; text: string } | { kind: "bytes"; bytes: number[] } | { kind: "mutated"; mutations: Mutation[] };
type QueryPart = { name: string; value: string | { ref: Ref } };
type AuthPlan =
  | "owner"
  | "read-only"
  | "none"
  | "lower-case scheme"
  | "no space"
  | "two spaces"
  | "extra token"
  | "truncated"
  | "wrong checksum"
  | "unknown key"
  | "twice"
  | { header: string };

interface RequestPlan {
  ids: Record<string, IdPlan>;
  query: QueryPart[] | { raw: string };
  auth: AuthPlan;
  contentType: string | null;
  headers: [string, string][];
  body: BodyPlan;
}

/** Percent-encodes UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it). */
function percentEncode(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

/** A path segment that still routes to the operation: not empty, decodable, not a dot segment. */
function routable(segment: string): boolean {
  if (!segment || segment.includes("/") || segment.includes("?") || segment.includes("#")) return false;
  try {
    return ![".", ".."].includes(decodeURIComponent(segment));
  } catch {
    return false;
  }
}

const RAW_SEGMENTS = [
  "..%2F..%2Fetc%2Fpasswd",
  "..%2f",
  "%2e%2e%2fadmin",
  "%252e%252e%252f",
  "%00",
  "%0A",
  "%20",
  "%EF%BC%8F",
  "*",
  "'",
  "%27%20OR%201%3D1--",
  "null",
  "undefined",
  "0",
  "-1",
  "1e309",
  "NaN",
  "true",
  "%7B%7D",
  "%5B%5D",
  "a".repeat(65),
  "a".repeat(5_000),
  "__proto__",
  "constructor",
  "%E2%80%AE",
  "%E2%80%8B",
  "%F0%9F%99%82",
  "c".padEnd(25, "0"),
  // Not here: malformed or overlong UTF-8 such as %C0%AE, which the in-process router's decodeURIComponent
  // throws on before any handler runs: outside what the route handlers can answer.
].filter(routable);

function idArbitrary(operation: ApiOperation, param: string): fc.Arbitrary<IdPlan> {
  // DELETE with a real id would succeed and remove the world's rows: hostile ids only.
  const fitting = operation.method === "DELETE" ? [] : fittingRefs(operation, param);
  const all: Ref[] = ["campaign", "sentCampaign", "tag", "domain", "apiKey", "workspace", "workspaceSlug"];
  const hostile = fc.oneof(
    fc.constant<IdPlan>({ never: true }),
    fc.constantFrom(...(operation.method === "DELETE" ? [null] : all)).map((ref): IdPlan => (ref ? { ref } : { never: true })),
    fc.constantFrom(...RAW_SEGMENTS).map((segment): IdPlan => ({ segment })),
    hostileText.map((text) => ({ segment: percentEncode(text) })).filter((plan) => routable(plan.segment)),
  );
  if (!fitting.length) return hostile;
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fitting).map((ref): IdPlan => ({ ref })) }, { weight: 2, arbitrary: hostile });
}

const RAW_QUERIES = [
  "?",
  "?&",
  "?=",
  "?&&=&&",
  "?%",
  "?%zz=1",
  "?a=%ED%A0%80",
  "?limit=1&limit=2",
  "?limit",
  "?;limit=5",
  "?limit=5#frag",
  "?limit[]=5",
  "?limit[$gt]=0",
  "?workspace=anything",
  "?api_key=1",
  "?token=abc",
  "?x=hey_abcdefghijklmnop",
  `?${"a=1&".repeat(500)}`,
  "?+=+",
  "?%00=%00",
];

const NUMBERISH = [
  "0",
  "-0",
  "1",
  "100",
  "101",
  "1e309",
  "-1e309",
  "NaN",
  "Infinity",
  "0x10",
  " 5",
  "5.0",
  "5.5",
  "1e2",
  "-1",
  "٣",
  "99999999999999999999",
];

/** Cursors shaped like the API's (base64url of "<date>|<id>"), with odd dates and ids. */
const cursorArbitrary: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.constantFrom("0", "2026-13-45", "+275760-09-13T00:00:00.000Z", "1970-01-01T00:00:00Z", "2026-01-01", "not a date", ""),
    ),
    fc.oneof(
      fc.constantFrom("abc", "c".padEnd(25, "0"), "", "a|b", "a".repeat(65)),
      hostileText.filter((text) => text.length < 100),
    ),
  )
  .map(([date, id]) => Buffer.from(`${date}|${id}`).toString("base64url"));

function queryArbitrary(operation: ApiOperation): fc.Arbitrary<RequestPlan["query"]> {
  const names = schemaFields(operation.query);
  const name = fc.oneof(
    { weight: names.length ? 4 : 0, arbitrary: fc.constantFrom(...(names.length ? names : ["_"])) },
    { weight: 1, arbitrary: hostileKey.filter((key) => key.length < 100) },
  );
  const value: fc.Arbitrary<string | { ref: Ref }> = fc.oneof(
    { weight: 3, arbitrary: hostileText.filter((text) => text.length < 2_000) },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBERISH) },
    { weight: names.includes("cursor") ? 1 : 0, arbitrary: cursorArbitrary },
    { weight: 1, arbitrary: fc.constantFrom<Ref>("campaign", "sentCampaign", "tag", "domain", "workspace").map((ref) => ({ ref })) },
  );
  // Any query parameter is refused by an operation that takes none: mostly send none, so bodies get checked.
  return fc.oneof(
    { weight: names.length ? 2 : 8, arbitrary: fc.constant<QueryPart[]>([]) },
    { weight: names.length ? 5 : 1, arbitrary: fc.array(fc.record<QueryPart>({ name, value }), { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERIES).map((raw) => ({ raw })) },
  );
}

/** Header values a Request can carry (Latin-1, no control characters). */
const headerText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code)),
  maxLength: 120,
});

const authArbitrary: fc.Arbitrary<AuthPlan> = fc.oneof(
  { weight: 40, arbitrary: fc.constant<AuthPlan>("owner") },
  { weight: 2, arbitrary: fc.constant<AuthPlan>("read-only") },
  {
    weight: 6,
    arbitrary: fc.constantFrom<AuthPlan>(
      "none",
      "lower-case scheme",
      "no space",
      "two spaces",
      "extra token",
      "truncated",
      "wrong checksum",
      "unknown key",
      "twice",
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        headerText,
        headerText.map((text) => `Bearer ${text}`),
        headerText.map((text) => `Bearer hey_${text}`),
        fc.constantFrom(
          "Basic dXNlcjpwYXNz",
          "Bearer",
          "Bearer ",
          "Token abc",
          "Bearer null",
          `Bearer ${"a".repeat(20_000)}`,
          "Bearer hey_ hey_",
        ),
      )
      .map((header): AuthPlan => ({ header })),
  },
);

const CONTENT_TYPES = [
  "application/json; charset=utf-8",
  "application/problem+json",
  "application/vnd.heyoo+json",
  "APPLICATION/JSON",
  "application/json;charset=utf-16",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
  "application/jsonx",
  "application/json, text/plain",
  "json",
  "*/*",
];

const extraHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constantFrom("accept", "x-forwarded-for", "x-request-id", "origin", "referer", "user-agent", "x-http-method-override", "if-match"),
      headerText,
    ),
    fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "1", "-1", "1e309", "abc", "99999999999", "65537", " 2")),
    fc.tuple(fc.constant("accept"), fc.constantFrom("text/html", "application/xml", "*/*;q=0")),
  ),
  { maxLength: 3 },
);

function bodyArbitrary(operation: ApiOperation): fc.Arbitrary<BodyPlan> {
  if (operation.method === "GET") return fc.constant({ kind: "none" });
  const fields = schemaFields(operation.body);
  const field = fc.constantFrom(...(fields.length ? fields : ["name"]));
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constantFrom("set" as const, "dup" as const), key: field, value: hostileJson }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("extra" as const), key: hostileKey, value: jsonValue }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), key: field }) },
  );
  const rawText = fc.oneof(
    fc.constantFrom(
      "",
      "{",
      "}",
      "[",
      "{}",
      "[]",
      "null",
      "nul",
      "{'a':1}",
      '{"a":1,}',
      '{"a" 1}',
      "\uFEFF{}",
      "NaN",
      "Infinity",
      "1e309",
      '"text"',
      "true",
      '{"a":{"__proto__":{"admin":true}}}',
      '{"a":{"constructor":{"prototype":{"admin":true}}}}',
      "x".repeat(70_000),
      `{"name":"${"x".repeat(300_000)}"}`,
      `[${"1,".repeat(20_000)}1]`,
      '{"events":[' + '{"type":"opened","occurredAt":"2026-01-01T00:00:00Z"},'.repeat(1_001) + "{}]}",
    ),
    hostileJson,
    hostileText,
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<BodyPlan>({ kind: "none" }) },
    { weight: 3, arbitrary: rawText.map((text): BodyPlan => ({ kind: "text", text })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): BodyPlan => ({ kind: "bytes", bytes: [...bytes] })) },
    {
      weight: operation.body ? 5 : 1,
      arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations): BodyPlan => ({ kind: "mutated", mutations })),
    },
    // Plausible: a valid body whose fields hold hostile text, which may well be accepted and stored.
    {
      weight: operation.body ? 5 : 0,
      arbitrary: fc
        .array(fc.record({ op: fc.constant("set" as const), key: field, value: hostileText.map((text) => JSON.stringify(text)) }), {
          minLength: 1,
          maxLength: 2,
        })
        .map((mutations): BodyPlan => ({ kind: "mutated", mutations })),
    },
  );
}

function planArbitrary(operation: ApiOperation): fc.Arbitrary<RequestPlan> {
  const params = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  return fc.record({
    ids: fc.record(Object.fromEntries(params.map((param) => [param, idArbitrary(operation, param)]))),
    query: queryArbitrary(operation),
    auth: authArbitrary,
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant("application/json") },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    ),
    headers: extraHeaders,
    body: bodyArbitrary(operation),
  });
}

// ---- Building the Request.

async function authorization(plan: AuthPlan): Promise<string[]> {
  if (typeof plan === "object") return [plan.header];
  if (plan === "none") return [];
  if (plan === "unknown key") return [`Bearer ${generateApiKey().key}`];
  if (plan === "read-only") return [`Bearer ${await readOnlyKey()}`];
  const key = await ownerKey();
  const last = key.at(-1) === "A" ? "B" : "A";
  const variants: Record<string, string[]> = {
    owner: [`Bearer ${key}`],
    "lower-case scheme": [`bearer ${key}`],
    "no space": [`Bearer${key}`],
    "two spaces": [`Bearer  ${key}`],
    "extra token": [`Bearer ${key} ${key}`],
    truncated: [`Bearer ${key.slice(0, -1)}`],
    "wrong checksum": [`Bearer ${key.slice(0, -1)}${last}`],
    twice: [`Bearer ${key}`, `Bearer ${key}`],
  };
  return variants[plan]!;
}

async function bodyOf(operation: ApiOperation, plan: BodyPlan): Promise<BodyInit | undefined> {
  if (plan.kind === "none") return undefined;
  if (plan.kind === "text") return plan.text;
  if (plan.kind === "bytes") return new Uint8Array(plan.bytes);
  const pairs: [string, string][] = Object.entries(baseBody(operation)).map(([key, value]) => [key, JSON.stringify(value)]);
  for (const mutation of plan.mutations) {
    const at = pairs.findIndex(([key]) => key === mutation.key);
    if (mutation.op === "drop") {
      if (at >= 0) pairs.splice(at, 1);
    } else if (mutation.op === "set" && at >= 0) {
      pairs[at] = [mutation.key, mutation.value];
    } else {
      // dup: the same key once more, after the valid one (JSON.parse keeps the last); extra: a new key.
      pairs.push([mutation.key, mutation.value]);
    }
  }
  return `{${pairs.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`;
}

async function buildRequest(operation: ApiOperation, plan: RequestPlan): Promise<Request> {
  let path = operation.path;
  for (const [param, id] of Object.entries(plan.ids)) {
    const segment = "ref" in id ? encodeURIComponent(await resolve(id.ref)) : "never" in id ? neverExistingId() : id.segment;
    path = path.replace(`{${param}}`, segment);
  }
  let query = "";
  if ("raw" in plan.query) query = plan.query.raw;
  else if (plan.query.length) {
    const parts = await Promise.all(
      plan.query.map(
        async ({ name, value }) => `${percentEncode(name)}=${percentEncode(typeof value === "string" ? value : await resolve(value.ref))}`,
      ),
    );
    query = `?${parts.join("&")}`;
  }
  const headers = new Headers();
  for (const value of await authorization(plan.auth)) headers.append("authorization", value);
  if (plan.contentType !== null) headers.set("content-type", plan.contentType);
  for (const [name, value] of plan.headers) headers.append(name, value);
  return new Request(`http://heyoo.test${path}${query}`, { method: operation.method, headers, body: await bodyOf(operation, plan.body) });
}

// ---- The contract of an answer.

const DOCUMENT = buildOpenApiDocument();

/** The statuses the OpenAPI document lists for an operation, read from the document itself. */
function documentedStatuses(operation: (typeof OPERATIONS)[number]): Set<number> {
  const entry = (DOCUMENT.paths[operation.path] as Record<string, { responses: Record<string, unknown> }>)[operation.method.toLowerCase()]!;
  return new Set(Object.keys(entry.responses).map(Number));
}
const seen = new Map<string, Map<number, number>>();

/** A refusal: a 4xx in problem+json whose body names its status and a code. */
function assertProblem(response: Response, text: string, context = `${response.status} ${text.slice(0, 500)}`): void {
  expect(response.status, context).toBeGreaterThanOrEqual(400);
  expect(response.status, context).toBeLessThan(500);
  expect(response.headers.get("content-type"), context).toBe("application/problem+json");
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.status, context).toBe(response.status);
  expect(typeof body.code, context).toBe("string");
  expect(typeof body.requestId, context).toBe("string");
}

function assertAnswer(operation: ApiOperation, response: Response, text: string): void {
  const context = `${operation.method} ${operation.path} → ${response.status} ${text.slice(0, 500)}`;
  expect(response.status, context).toBeLessThan(500);
  for (const leak of LEAKS) expect(text, `leak ${leak} in ${context}`).not.toMatch(leak);
  if (response.status >= 400) return assertProblem(response, text, context);
  expect(response.status, context).toBe(operation.status);
  if (operation.status === 204) {
    expect(text, context).toBe("");
  } else {
    expect(response.headers.get("content-type"), context).toMatch(/^application\/json/);
    expect(operation.response!.safeParse(JSON.parse(text)).success, context).toBe(true);
  }
}

function seedOf(operation: ApiOperation): number {
  return (BASE_SEED ^ createHash("sha256").update(operation.id).digest().readUInt32BE(0)) >>> 0;
}

describe.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))("fuzz %s", (_, operation) => {
  it(`answers ${RUNS_PER_OPERATION} hostile requests with a success or a problem+json 4xx, and refusals change nothing`, async () => {
    const counts = new Map<number, number>();
    seen.set(operation.id, counts);
    const seed = seedOf(operation);
    const property = fc.asyncProperty(planArbitrary(operation), async (plan) => {
      const request = await buildRequest(operation, plan);
      const before = await workspaceSnapshot(world.resources.workspaceId);
      const response = await fetchInProcess(request);
      const text = await response.text();
      counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
      assertAnswer(operation, response, text);
      if (response.status >= 400) {
        expect(
          await workspaceSnapshot(world.resources.workspaceId),
          `a refused ${operation.method} ${operation.path} (${response.status}) changed rows`,
        ).toEqual(before);
      }
    });
    try {
      await fc.assert(property, { seed, numRuns: RUNS_PER_OPERATION });
    } catch (error) {
      throw new Error(`fuzz of ${operation.id} failed with seed ${seed} (base FUZZ_SEED=${BASE_SEED}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    // The runs got past authentication and the permission check: something was validated or done.
    expect(
      [...counts.keys()].some((status) => ![401, 403].includes(status)),
      JSON.stringify([...counts]),
    ).toBe(true);
  });
});

describe("fuzz: what the runs covered", () => {
  it("every status an operation answered is documented for it in the OpenAPI document", () => {
    expect(seen.size).toBe(OPERATIONS.length);
    const undocumented: string[] = [];
    for (const operation of OPERATIONS) {
      const documented = documentedStatuses(operation);
      for (const status of seen.get(operation.id)!.keys()) if (!documented.has(status)) undocumented.push(`${operation.id}: ${status}`);
    }
    if (process.env.FUZZ_VERBOSE) for (const [id, counts] of seen) console.info(id, JSON.stringify(Object.fromEntries(counts)));
    expect(undocumented).toEqual([]);
  });
});

describe("fuzz: the snapshot sees what it must", () => {
  it("sees a created row, and not a key's last use", async () => {
    const before = await workspaceSnapshot(world.resources.workspaceId);
    // A fresh key's first request writes its lastUsedAt (and so its updatedAt): not a change of data.
    const { key } = await mintKey(world.owner, { name: "fuzz snapshot" });
    const minted = await workspaceSnapshot(world.resources.workspaceId);
    expect(minted.ApiKey).not.toEqual(before.ApiKey);
    const me = await fetchInProcess(new Request("http://heyoo.test/api/v1/me", { headers: { authorization: `Bearer ${key}` } }));
    expect(me.status).toBe(200);
    expect(await workspaceSnapshot(world.resources.workspaceId)).toEqual(minted);
    const tag = await send(key, "PATCH", `/api/v1/tags/${world.resources.tagId}`, { body: { color: "#123456" } });
    expect(tag.status).toBe(200);
    const changed = await workspaceSnapshot(world.resources.workspaceId);
    expect(changed.Tag!.rows).toBe(minted.Tag!.rows);
    expect(changed.Tag!.md5).not.toBe(minted.Tag!.md5);
  });
});

// ---- Bugs the fuzz found in src/ (all were 500s), kept as the smallest requests that showed them. The
// generators above produce these inputs too.

interface BugCase {
  bug: string;
  method: string;
  /** {campaign}, {tag}, … stand for the world's ids. */
  path: string;
  body?: string;
}

const nul = JSON.stringify({ name: "a\u0000b" });
const cursorBefore4713BC = Buffer.from("-271821-04-20T00:00:00.000Z|abc").toString("base64url");

const BUGS: BugCase[] = [
  // BUG 1: PostgreSQL refuses text with NUL (22021 "invalid byte sequence for encoding UTF8: 0x00"); the schemas
  // let it through, so the insert/update/search throws a PrismaClientKnownRequestError → 500.
  { bug: "NUL in a tag name", method: "POST", path: "/api/v1/tags", body: nul },
  { bug: "NUL in a tag rename", method: "PATCH", path: "/api/v1/tags/{tag}", body: nul },
  { bug: "NUL in a tag search", method: "GET", path: "/api/v1/tags?q=a%00b" },
  { bug: "NUL in a campaign name", method: "POST", path: "/api/v1/campaigns", body: JSON.stringify({ name: "a\u0000b", subject: "x" }) },
  {
    bug: "NUL in a campaign subject",
    method: "PATCH",
    path: "/api/v1/campaigns/{campaign}",
    body: JSON.stringify({ subject: "a\u0000b" }),
  },
  { bug: "NUL in a campaign search", method: "GET", path: "/api/v1/campaigns?q=a%00b" },
  { bug: "NUL in an API key name", method: "POST", path: "/api/v1/api-keys", body: JSON.stringify({ name: "a\u0000b", kind: "all" }) },
  { bug: "NUL in an API key rename", method: "PATCH", path: "/api/v1/api-keys/{apiKey}", body: nul },
  { bug: "NUL in a workspace name", method: "PATCH", path: "/api/v1/workspaces/{workspace}", body: nul },
  // BUG 2: fieldErrorsOf (src/server/http/to-app-error.ts) does `(fieldErrors[key] ??= []).push(…)` on a plain
  // object: for "__proto__", "constructor", "toString", … the lookup finds Object.prototype's member, so
  // `.push` is not a function → TypeError → 500.
  { bug: 'unknown body field "__proto__"', method: "POST", path: "/api/v1/tags", body: '{"name":"x","__proto__":0}' },
  {
    bug: 'unknown body field "constructor"',
    method: "POST",
    path: "/api/v1/campaigns",
    body: '{"name":"x","subject":"y","constructor":0}',
  },
  {
    bug: 'unknown body field "toString"',
    method: "PATCH",
    path: "/api/v1/domains/{domain}",
    body: '{"hostname":"a.example","toString":0}',
  },
  { bug: 'unknown query parameter "constructor"', method: "GET", path: "/api/v1/tags?constructor=1" },
  { bug: 'unknown query parameter "hasOwnProperty"', method: "GET", path: "/api/v1/analytics?hasOwnProperty=1" },
  // BUG 3: decodeCursor (src/server/api/pagination.ts) accepts any date JavaScript can hold; PostgreSQL cannot
  // compare one before 4713 BC (22009 "time zone displacement out of range") → 500.
  { bug: "a cursor dated 271821 BC", method: "GET", path: `/api/v1/campaigns?cursor=${cursorBefore4713BC}` },
  { bug: "a cursor dated 271821 BC", method: "GET", path: `/api/v1/tags?cursor=${cursorBefore4713BC}` },
  { bug: "a cursor dated 271821 BC", method: "GET", path: `/api/v1/domains?cursor=${cursorBefore4713BC}` },
];

describe("fuzz: the bugs it found stay fixed", () => {
  it.each(BUGS.map((bug) => [`${bug.bug}: ${bug.method} ${bug.path.split("?")[0]}`, bug] as const))(
    "%s answers a problem+json 4xx and changes nothing",
    async (_, bug) => {
      let path = bug.path;
      for (const ref of bug.path.match(/\{\w+\}/g) ?? []) path = path.replace(ref, await resolve(ref.slice(1, -1) as Ref));
      const request = new Request(`http://heyoo.test${path}`, {
        method: bug.method,
        headers: { authorization: `Bearer ${await ownerKey()}`, "content-type": "application/json" },
        body: bug.body,
      });
      const before = await workspaceSnapshot(world.resources.workspaceId);
      const response = await fetchInProcess(request);
      assertProblem(response, await response.text());
      expect(await workspaceSnapshot(world.resources.workspaceId)).toEqual(before);
    },
  );

  // Every operation answers 422 to a query parameter it does not take; the document says so for each.
  it("GET /api/v1/me?unknown=1: its 422 is documented", async () => {
    const response = await fetchInProcess(
      new Request("http://heyoo.test/api/v1/me?unknown=1", { headers: { authorization: `Bearer ${await ownerKey()}` } }),
    );
    expect(response.status).toBe(422);
    const getMe = OPERATIONS.find((operation) => operation.id === "getMe")!;
    expect(documentedStatuses(getMe).has(422)).toBe(true);
  });
});

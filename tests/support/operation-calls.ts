import { expect } from "vitest";
import { z } from "zod";
import type { ApiOperation } from "@/server/api/operation";
import type { Principal } from "@/server/auth/principal";
import { mintKey } from "./api";
import { apiClient } from "./client";
import { unique } from "./factories";
import { inProcessFetch } from "./routes";

// Calling any registered operation by hand: its path with ids filled in, a body it accepts, and a raw
// in-process request, so tests generated from OPERATIONS can reach every endpoint.

const fetchInProcess = inProcessFetch();

/** One of every resource of a workspace, as ids. */
export interface Resources {
  workspaceId: string;
  workspaceSlug: string;
  /** A sent campaign carrying `tagId`, with events. */
  campaignId: string;
  tagId: string;
  domainId: string;
  /** A restricted key nobody calls with (safe to rename, roll or delete). */
  apiKeyId: string;
  /** A key rolled with a 7-day grace period, still working: what "stop now" acts on. */
  rolledApiKeyId: string;
}

/** Where a path parameter's id comes from, by "<resource>/{param}" (resource: the segment after /api/v1). */
export const PATH_ID_SOURCES: Record<string, keyof Resources> = {
  "campaigns/{id}": "campaignId",
  "campaigns/{tagId}": "tagId",
  "tags/{id}": "tagId",
  "domains/{id}": "domainId",
  "api-keys/{id}": "apiKeyId",
  "workspaces/{idOrSlug}": "workspaceId",
};

/** Operations whose path id must be a resource in a particular state. */
const OPERATION_ID_SOURCES: Record<string, Record<string, keyof Resources>> = {
  stopApiKey: { id: "rolledApiKeyId" },
};

/** The top-level field names of a body or query schema, as its OpenAPI document shows them. */
export function schemaFields(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown> };
  return Object.keys(json.properties ?? {});
}

export function pathParams(operation: ApiOperation): string[] {
  return [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

/** "campaigns/{tagId}" for the tagId of /api/v1/campaigns/{id}/tags/{tagId}. */
export function idSourceKey(operation: ApiOperation, param: string): string {
  return `${operation.path.split("/")[3]}/{${param}}`;
}

export function idSource(operation: ApiOperation, param: string): keyof Resources {
  const source = OPERATION_ID_SOURCES[operation.id]?.[param] ?? PATH_ID_SOURCES[idSourceKey(operation, param)];
  if (!source)
    throw new Error(
      `No id source for ${idSourceKey(operation, param)} (${operation.method} ${operation.path}): add it to PATH_ID_SOURCES.`,
    );
  return source;
}

export function pathOf(operation: ApiOperation, params: Record<string, string>): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
}

/** The path of `operation` on the workspace's own resources. */
export function ownPath(operation: ApiOperation, resources: Resources): string {
  return pathOf(operation, Object.fromEntries(pathParams(operation).map((param) => [param, resources[idSource(operation, param)]])));
}

const HOUR = 3_600_000;
const iso = (offset: number) => new Date(Date.now() + offset).toISOString();

/** A body each operation that takes one accepts, on the workspace's own resources (fresh names each call). */
const VALID_BODIES: Record<string, (resources: Resources) => Record<string, unknown>> = {
  createApiKey: () => ({ name: unique("Key"), kind: "restricted", permissions: ["tags.read"], expiresAt: iso(48 * HOUR) }),
  updateApiKey: () => ({ name: unique("Renamed key") }),
  rollApiKey: () => ({ gracePeriod: "7d" }),
  // What the fixture's key holds: a restriction that keeps everything changes nothing, and succeeds.
  restrictApiKey: () => ({ permissions: ["tags.read"] }),
  updateWorkspace: () => ({ name: unique("Workspace") }),
  createCampaign: (resources) => ({
    name: unique("Campaign"),
    subject: "Hello",
    status: "scheduled",
    scheduledAt: iso(48 * HOUR),
    tagIds: [resources.tagId],
  }),
  updateCampaign: (resources) => ({ name: unique("Campaign"), tagIds: [resources.tagId] }),
  recordCampaignEvents: () => ({ events: [{ type: "opened", occurredAt: iso(-HOUR) }] }),
  createTag: () => ({ name: unique("Tag"), color: "#3b82f6" }),
  updateTag: () => ({ color: "#123456" }),
  createDomain: () => ({ hostname: `${unique("mail")}.example.com` }),
  updateDomain: () => ({ hostname: `${unique("news")}.example.com` }),
};

export function hasValidBody(operation: ApiOperation): boolean {
  return operation.id in VALID_BODIES;
}

/** A body the operation accepts; undefined for operations that take none. Throws for a new operation without one. */
export function validBody(operation: ApiOperation, resources: Resources): Record<string, unknown> | undefined {
  if (!operation.body) return undefined;
  const make = VALID_BODIES[operation.id];
  if (!make) throw new Error(`No valid body for ${operation.id}: add one to VALID_BODIES in tests/support/operation-calls.ts.`);
  return make(resources);
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> | null;
}

export interface SendOptions {
  query?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A raw request to the route handlers of this process. */
export async function send(key: string | undefined, method: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const headers = new Headers(options.headers);
  if (key !== undefined) headers.set("authorization", `Bearer ${key}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const query = options.query && Object.keys(options.query).length ? `?${new URLSearchParams(options.query)}` : "";
  const response = await fetchInProcess(new Request(`http://heyoo.test${path}${query}`, { method, headers, body }));
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/**
 * Keys of `principal`, each used at most `uses` times: the API's rate limit (API_RATE_LIMIT per key and
 * window, 120 in the integration tests) is never what answers. Call it before a snapshot: minting is a write.
 */
export function keyPool(principal: Principal, input: Record<string, unknown> = {}, uses = 100): () => Promise<string> {
  let key: string | undefined;
  let used = 0;
  return async () => {
    if (!key || used >= uses) {
      key = (await mintKey(principal, { name: "Pooled key", kind: "all", ...input })).key;
      used = 0;
    }
    used += 1;
    return key;
  };
}

/** Calls `operation` on the workspace's own resources with a valid body. */
export function callOwn(key: string, operation: ApiOperation, resources: Resources, options: SendOptions = {}): Promise<Answer> {
  return send(key, operation.method, ownPath(operation, resources), { body: validBody(operation, resources), ...options });
}

/**
 * One of every resource in the principal's workspace, made through the API: a tag, a sent campaign carrying
 * it with three events, a domain, and a restricted key.
 */
export async function seedResources(principal: Principal, label = "Seed"): Promise<Resources> {
  const api = apiClient((await mintKey(principal, { name: `${label} setup` })).key);
  const tag = await api.POST("/api/v1/tags", { body: { name: unique(`${label} tag`), color: "#4f46e5" } });
  expect(tag.response.status).toBe(201);
  const campaign = await api.POST("/api/v1/campaigns", {
    body: { name: unique(`${label} campaign`), subject: "Hello", status: "sent", tagIds: [tag.data!.id] },
  });
  expect(campaign.response.status).toBe(201);
  const occurredAt = iso(-HOUR);
  const events = await api.POST("/api/v1/campaigns/{id}/events", {
    params: { path: { id: campaign.data!.id } },
    body: {
      events: [
        { type: "sent", occurredAt },
        { type: "opened", occurredAt },
        { type: "clicked", occurredAt },
      ],
    },
  });
  expect(events.response.status).toBe(201);
  const domain = await api.POST("/api/v1/domains", { body: { hostname: `${unique(label.toLowerCase())}.example.com` } });
  expect(domain.response.status).toBe(201);
  const key = await mintKey(principal, { name: `${label} key`, kind: "restricted", permissions: ["tags.read"] });
  const toRoll = await mintKey(principal, { name: `${label} rolled key`, kind: "restricted", permissions: ["tags.read"] });
  const rolled = await api.POST("/api/v1/api-keys/{id}/roll", { params: { path: { id: toRoll.id } }, body: { gracePeriod: "7d" } });
  expect(rolled.response.status).toBe(201);
  return {
    workspaceId: principal.workspace.id,
    workspaceSlug: principal.workspace.slug,
    campaignId: campaign.data!.id,
    tagId: tag.data!.id,
    domainId: domain.data!.id,
    apiKeyId: key.id,
    rolledApiKeyId: toRoll.id,
  };
}

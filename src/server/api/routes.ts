// Where each /api/v1 operation (and each public endpoint) answers: its method and path, and nothing else. This module imports nothing, so
// the proxy and the server's raw-path guard can know the API's routes without loading a single service (which
// import "server-only" and the database). Each operation takes its method and path from here, by id.

/** Where the OpenAPI document is served (a route of its own, not an operation: no key, no rate limit). */
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const ROUTES = {
  getAnalytics: { method: "GET", path: "/api/v1/analytics" },
  getMe: { method: "GET", path: "/api/v1/me" },
  listApiKeys: { method: "GET", path: "/api/v1/api-keys" },
  createApiKey: { method: "POST", path: "/api/v1/api-keys" },
  getApiKey: { method: "GET", path: "/api/v1/api-keys/{id}" },
  updateApiKey: { method: "PATCH", path: "/api/v1/api-keys/{id}" },
  deleteApiKey: { method: "DELETE", path: "/api/v1/api-keys/{id}" },
  rollApiKey: { method: "POST", path: "/api/v1/api-keys/{id}/roll" },
  stopApiKey: { method: "POST", path: "/api/v1/api-keys/{id}/stop" },
  getApiKeyUsage: { method: "GET", path: "/api/v1/api-keys/{id}/usage" },
  restrictApiKey: { method: "POST", path: "/api/v1/api-keys/{id}/restrict" },
  listCampaigns: { method: "GET", path: "/api/v1/campaigns" },
  createCampaign: { method: "POST", path: "/api/v1/campaigns" },
  getCampaign: { method: "GET", path: "/api/v1/campaigns/{id}" },
  updateCampaign: { method: "PATCH", path: "/api/v1/campaigns/{id}" },
  deleteCampaign: { method: "DELETE", path: "/api/v1/campaigns/{id}" },
  attachCampaignTag: { method: "PUT", path: "/api/v1/campaigns/{id}/tags/{tagId}" },
  detachCampaignTag: { method: "DELETE", path: "/api/v1/campaigns/{id}/tags/{tagId}" },
  recordCampaignEvents: { method: "POST", path: "/api/v1/campaigns/{id}/events" },
  listDomains: { method: "GET", path: "/api/v1/domains" },
  createDomain: { method: "POST", path: "/api/v1/domains" },
  getDomain: { method: "GET", path: "/api/v1/domains/{id}" },
  updateDomain: { method: "PATCH", path: "/api/v1/domains/{id}" },
  deleteDomain: { method: "DELETE", path: "/api/v1/domains/{id}" },
  verifyDomain: { method: "POST", path: "/api/v1/domains/{id}/verify" },
  listTags: { method: "GET", path: "/api/v1/tags" },
  createTag: { method: "POST", path: "/api/v1/tags" },
  getTag: { method: "GET", path: "/api/v1/tags/{id}" },
  updateTag: { method: "PATCH", path: "/api/v1/tags/{id}" },
  deleteTag: { method: "DELETE", path: "/api/v1/tags/{id}" },
  listWorkspaces: { method: "GET", path: "/api/v1/workspaces" },
  getWorkspace: { method: "GET", path: "/api/v1/workspaces/{idOrSlug}" },
  updateWorkspace: { method: "PATCH", path: "/api/v1/workspaces/{idOrSlug}" },
  listAuditLog: { method: "GET", path: "/api/v1/audit-log" },
} as const satisfies Record<string, { method: HttpMethod; path: string }>;

export type RouteId = keyof typeof ROUTES;

/**
 * Endpoints that are not workspace operations: no principal, no key, no session (reports of leaked keys). Their
 * declarations live in src/server/leaks/endpoints.ts; the proxy's 405 and the OpenAPI document read this table too.
 */
export const PUBLIC_ROUTES = {
  reportGitHubSecretScanning: { method: "POST", path: "/api/v1/secret-scanning/github" },
  reportLeakedKeys: { method: "POST", path: "/api/v1/leaked-keys" },
} as const satisfies Record<string, { method: HttpMethod; path: string }>;

export type PublicRouteId = keyof typeof PUBLIC_ROUTES;

/** A public endpoint's id, method and path, to spread into its declaration. */
export function publicRoute<Id extends PublicRouteId>(id: Id): { id: Id } & (typeof PUBLIC_ROUTES)[Id] {
  return { id, ...PUBLIC_ROUTES[id] };
}

/** An operation's id, method and path, to spread into its declaration. */
export function route<Id extends RouteId>(id: Id): { id: Id } & (typeof ROUTES)[Id] {
  return { id, ...ROUTES[id] };
}

import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import { buildOpenApiDocument } from "@/server/api/openapi";
import { OPERATIONS } from "@/server/api/registry";
import { PUBLIC_ROUTES, ROUTES } from "@/server/api/routes";
import { PUBLIC_ENDPOINTS } from "@/server/leaks/endpoints";
import { discoverRoutes, exportedMethods } from "../support/routes";

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 according to an independent validator", async () => {
    const validator = new Validator();
    const result = await validator.validate(buildOpenApiDocument() as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");

    // The control: the same validator refuses a document with a broken operation.
    const broken = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths["/api/v1/me"]!.get!.responses = "none";
    expect((await new Validator().validate(broken as unknown as Parameters<Validator["validate"]>[0])).valid).toBe(false);
  });

  it("lists exactly the routes that exist: a route missing from the document, or the reverse, fails here", async () => {
    const implemented = new Set<string>();
    for (const route of discoverRoutes()) {
      if (route.catchAll || route.path === "/api/v1/openapi.json") continue;
      for (const method of await exportedMethods(route)) implemented.add(`${method} ${route.path}`);
    }
    // The operations and the public endpoints (no principal), which the document lists as well.
    const declared = [...OPERATIONS, ...PUBLIC_ENDPOINTS].map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...implemented].sort()).toEqual([...declared].sort());
    const document = buildOpenApiDocument();
    const inDocument = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(inDocument.sort()).toEqual([...implemented].sort());
  });

  it("has one operation per entry of the routes table the proxy reads, at that entry's method and path", () => {
    const fromOperations = OPERATIONS.map(({ id, method, path }) => ({ id, method, path })).sort((a, b) => a.id.localeCompare(b.id));
    const fromTable = Object.entries(ROUTES)
      .map(([id, { method, path }]) => ({ id, method, path }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(fromOperations).toEqual(fromTable);

    // The public endpoints take theirs from the table of their own, and are never in OPERATIONS.
    const fromEndpoints = PUBLIC_ENDPOINTS.map(({ id, method, path }) => ({ id, method, path })).sort((a, b) => a.id.localeCompare(b.id));
    const fromPublicTable = Object.entries(PUBLIC_ROUTES)
      .map(([id, { method, path }]) => ({ id, method, path }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(fromEndpoints).toEqual(fromPublicTable);
    const operationIds = new Set(OPERATIONS.map((operation) => operation.id));
    expect(PUBLIC_ENDPOINTS.filter((endpoint) => operationIds.has(endpoint.id))).toEqual([]);
  });

  it("documents each public endpoint without security, with its schemas, examples that satisfy them, and its problems", () => {
    const document = buildOpenApiDocument();
    for (const endpoint of PUBLIC_ENDPOINTS) {
      const entry = (document.paths[endpoint.path] as Record<string, Record<string, unknown>>)[endpoint.method.toLowerCase()]!;
      expect(entry.security, endpoint.id).toEqual([]);
      expect(entry["x-required-permission"], endpoint.id).toBeUndefined();
      const responses = entry.responses as Record<string, { content: Record<string, unknown> }>;
      expect(Object.keys(responses).sort(), endpoint.id).toEqual([String(endpoint.status), ...Object.keys(endpoint.errors)].sort());
      for (const status of Object.keys(endpoint.errors))
        expect(responses[status]!.content, `${endpoint.id} ${status}`).toHaveProperty(["application/problem+json"]);
      expect(endpoint.body.safeParse(endpoint.example.request).success, `${endpoint.id} request example`).toBe(true);
      expect(endpoint.response.safeParse(endpoint.example.response).success, `${endpoint.id} response example`).toBe(true);
    }
  });

  it("names every operation's permission, errors and an example", () => {
    const document = buildOpenApiDocument();
    for (const operation of OPERATIONS) {
      const entry = (document.paths[operation.path] as Record<string, Record<string, unknown>>)[operation.method.toLowerCase()]!;
      expect(entry["x-required-permission"]).toBe(operation.permission);
      const responses = entry.responses as Record<string, unknown>;
      for (const status of ["401", "403", "429"]) expect(responses, `${operation.id} ${status}`).toHaveProperty(status);
      if (operation.status !== 204) expect(operation.example?.response, `${operation.id} example`).toBeDefined();
      if (operation.body) expect(operation.example?.request, `${operation.id} request example`).toBeDefined();
      // Every example must satisfy its own schema, so the document never shows an answer the API cannot give.
      if (operation.response && operation.example?.response)
        expect(operation.response.safeParse(operation.example.response).success).toBe(true);
      if (operation.body && operation.example?.request)
        expect(operation.body.safeParse(operation.example.request).success, operation.id).toBe(true);
    }
    expect(new Set(OPERATIONS.map((operation) => operation.id)).size).toBe(OPERATIONS.length);
  });

  it("is served publicly at /api/v1/openapi.json", async () => {
    const response = openApiRoute();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });
});

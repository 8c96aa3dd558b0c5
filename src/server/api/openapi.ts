import { z } from "zod";
import { describePermission } from "@/server/auth/permissions";
import { PUBLIC_ENDPOINTS, type PublicEndpoint } from "@/server/leaks/endpoints";
import { documentedAs, problemSchema } from "./common-schemas";
import type { ApiOperation } from "./operation";
import { OPERATIONS } from "./registry";

// The OpenAPI 3.1 document, derived from the operations' zod schemas (JSON Schema 2020-12 is OpenAPI 3.1's
// schema dialect), so the document, the validation and the typed client can never disagree.

type JsonSchema = Record<string, unknown>;

const INT32 = 2 ** 31;

/**
 * What the converter cannot say by itself: a schema's documented shape (query integers, read from text), and
 * each integer's format, from the bounds zod enforces on it (z.int() never passes a number beyond ±2^53).
 */
function override(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const documented = documentedAs.get(ctx.zodSchema as z.ZodType);
  if (documented) {
    delete ctx.jsonSchema.pattern;
    Object.assign(ctx.jsonSchema, documented);
  }
  const { type, format, minimum, maximum } = ctx.jsonSchema;
  if (type === "integer" && format === undefined) {
    const within32 = typeof minimum === "number" && typeof maximum === "number" && minimum >= -INT32 && maximum < INT32;
    ctx.jsonSchema.format = within32 ? "int32" : "int64";
  }
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const converted: JsonSchema = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline", override });
  // The dialect is the document's (OpenAPI 3.1), not stated per schema.
  delete converted.$schema;
  return converted;
}

/** Each field of an object schema as an OpenAPI parameter. */
function parameters(schema: z.ZodType | undefined, location: "path" | "query") {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === "path" || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const COMMON_ERRORS = {
  400: "Bad request (e.g. an API key in the URL).",
  401: "Missing, malformed, unknown, deleted or expired API key.",
  403: "The key lacks the permission named in `requiredPermission`.",
  422: "Invalid input (unknown query parameters included); `errors` lists the failing fields.",
  429: "Rate limited. `Retry-After` says when to retry.",
  500: "Something failed on the server's side; the answer carries no detail. Quote `requestId`.",
  503: "The database is not answering for now. `Retry-After` says when to retry.",
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  ...COMMON_ERRORS,
  404: "Not found (also for another workspace's resources).",
  409: "Conflict with an existing resource.",
  413: "The request body is too large.",
  415: "The request body is not JSON.",
};

const problemRef = { $ref: "#/components/schemas/Problem" };

const HEADERS = {
  "X-Request-Id": {
    description: "This answer's id, also the problem's `requestId`: quote it when you report a problem.",
    required: true,
    schema: { type: "string", format: "uuid", maxLength: 36 },
  },
  RateLimit: {
    description:
      "What is left of the caller's quota (IETF RateLimit header fields): `r` requests in the next `t` seconds. On every answer to an identified caller.",
    schema: { type: "string", maxLength: 64, pattern: '^"default";r=\\d+;t=\\d+$' },
  },
  "RateLimit-Policy": {
    description: "The caller's quota: `q` requests per window of `w` seconds. On every answer to an identified caller.",
    schema: { type: "string", maxLength: 64, pattern: '^"default";q=\\d+;w=\\d+$' },
  },
  "Heyoo-Key-Expires-At": {
    description:
      "When the calling key stops working (its expiry, or the end of its grace period after a roll), on every answer to a request made with a key that stops within 7 days.",
    schema: { type: "string", format: "date-time", maxLength: 30 },
  },
  "Heyoo-Key-Warning": {
    description: "A sentence saying why and when the calling key stops working, sent with `Heyoo-Key-Expires-At`: log it or alert on it.",
    schema: { type: "string", maxLength: 200, pattern: "^[ -~]+$" },
  },
  "Retry-After": {
    description: "Seconds to wait before retrying.",
    required: true,
    schema: { type: "integer", format: "int32", minimum: 1, maximum: INT32 - 1 },
  },
} as const;

const headerRef = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

/** The headers an answer with this status carries. */
function headersOf(status: number): Record<string, unknown> {
  const headers: Record<string, unknown> = { "X-Request-Id": headerRef("X-Request-Id") };
  const limited = status < 500;
  if (limited && status < 300) {
    // A successful call has always been counted: the fields are always there.
    headers.RateLimit = { ...HEADERS.RateLimit, required: true };
    headers["RateLimit-Policy"] = { ...HEADERS["RateLimit-Policy"], required: true };
  } else if (limited) {
    headers.RateLimit = headerRef("RateLimit");
    headers["RateLimit-Policy"] = headerRef("RateLimit-Policy");
  }
  if (status === 429 || status === 503) headers["Retry-After"] = headerRef("Retry-After");
  // Any answer to a known key can warn that it stops soon; answers that refused the key itself cannot.
  if (status !== 401 && status !== 503) {
    headers["Heyoo-Key-Expires-At"] = headerRef("Heyoo-Key-Expires-At");
    headers["Heyoo-Key-Warning"] = headerRef("Heyoo-Key-Warning");
  }
  return headers;
}

function responses(operation: ApiOperation) {
  const out: Record<string, unknown> = {};
  if (operation.status === 204 || !operation.response) {
    out["204"] = { description: "Done.", headers: headersOf(204) };
  } else {
    out[String(operation.status)] = {
      description: operation.status === 201 ? "Created." : "OK.",
      headers: headersOf(operation.status),
      content: {
        "application/json": {
          schema: jsonSchema(operation.response, "output"),
          ...(operation.example?.response ? { example: operation.example.response } : {}),
        },
      },
    };
  }
  const statuses = [...new Set([...Object.keys(COMMON_ERRORS).map(Number), ...(operation.errors ?? [])])].sort();
  for (const status of statuses) {
    out[String(status)] = {
      description: ERROR_DESCRIPTIONS[status],
      headers: headersOf(status),
      content: { "application/problem+json": { schema: problemRef } },
    };
  }
  return out;
}

/** The RateLimit fields of a public endpoint's own counter (per client address), named after its policy. */
function publicRateLimitHeaders(endpoint: PublicEndpoint, required: boolean): Record<string, unknown> {
  const { policy } = endpoint.rateLimit;
  return {
    RateLimit: {
      description: `What is left of this client address's quota of reports: \`r\` requests in the next \`t\` seconds.`,
      required,
      schema: { type: "string", maxLength: 64, pattern: `^"${policy}";r=\\d+;t=\\d+$` },
    },
    "RateLimit-Policy": {
      description: `This client address's quota of reports: \`q\` requests per window of \`w\` seconds.`,
      required,
      schema: { type: "string", maxLength: 64, pattern: `^"${policy}";q=\\d+;w=\\d+$` },
    },
  };
}

/** A public endpoint's answers: its own, and exactly the problems it can answer, each with what it means there. */
function publicResponses(endpoint: PublicEndpoint) {
  const out: Record<string, unknown> = {
    [String(endpoint.status)]: {
      description: endpoint.status === 202 ? "Accepted." : "OK.",
      headers: { "X-Request-Id": headerRef("X-Request-Id"), ...publicRateLimitHeaders(endpoint, true) },
      content: { "application/json": { schema: jsonSchema(endpoint.response, "output"), example: endpoint.example.response } },
    },
  };
  for (const [status, description] of Object.entries(endpoint.errors).sort(([a], [b]) => Number(a) - Number(b))) {
    const headers: Record<string, unknown> = { "X-Request-Id": headerRef("X-Request-Id") };
    // Every answer below 500 has been counted against the address, refusals included.
    if (Number(status) < 500) Object.assign(headers, publicRateLimitHeaders(endpoint, false));
    if (status === "429" || status === "503") headers["Retry-After"] = headerRef("Retry-After");
    out[status] = { description, headers, content: { "application/problem+json": { schema: problemRef } } };
  }
  return out;
}

function publicOperation(endpoint: PublicEndpoint) {
  return {
    operationId: endpoint.id,
    summary: endpoint.summary,
    // The docs page (src/app/docs/api/reference.ts) shows this sentence in the header instead.
    description: `${endpoint.description}\n\nNo API key or session: this endpoint is public.`,
    tags: [endpoint.tag],
    security: [],
    parameters: endpoint.headers.map(({ name, description, required, schema }) => ({ name, in: "header", required, description, schema })),
    requestBody: {
      required: true,
      content: { "application/json": { schema: jsonSchema(endpoint.body, "input"), example: endpoint.example.request } },
    },
    responses: publicResponses(endpoint),
  };
}

function describe(operation: ApiOperation): string {
  const permission = operation.permission
    ? `Requires the \`${operation.permission}\` permission (${describePermission(operation.permission)}).`
    : "Any valid API key.";
  return [operation.description, permission].filter(Boolean).join("\n\n");
}

export function buildOpenApiDocument(
  operations: readonly ApiOperation[] = OPERATIONS,
  publicEndpoints: readonly PublicEndpoint[] = PUBLIC_ENDPOINTS,
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const item = (paths[operation.path] ??= {});
    item[operation.method.toLowerCase()] = {
      operationId: operation.id,
      summary: operation.summary,
      description: describe(operation),
      tags: [operation.tag],
      "x-required-permission": operation.permission,
      parameters: [...parameters(operation.params, "path"), ...parameters(operation.query, "query")],
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: {
                "application/json": {
                  schema: jsonSchema(operation.body, "input"),
                  ...(operation.example?.request ? { example: operation.example.request } : {}),
                },
              },
            },
          }
        : {}),
      responses: responses(operation),
    };
  }
  for (const endpoint of publicEndpoints) {
    (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = publicOperation(endpoint);
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Heyoo API",
      version: "1.0.0",
      description:
        "Organisation-scoped REST API. Authenticate with an API key from Settings → API Keys: `Authorization: Bearer hey_…`. Errors are RFC 9457 problem details with a stable `code`.",
    },
    // One document per deployment, served by the deployment it describes: production, staging or local alike.
    servers: [
      {
        url: "/",
        description: "This Heyoo server (the production, staging or local deployment serving this document)",
        "x-internal": false,
      },
    ],
    security: [{ apiKey: [] }],
    tags: [...new Set([...operations, ...publicEndpoints].map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "hey_…", description: "A Heyoo API key." },
      },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
      headers: HEADERS,
    },
  };
}

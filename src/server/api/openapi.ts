import { z } from "zod";
import { describePermission } from "@/server/auth/permissions";
import { problemSchema } from "./common-schemas";
import type { ApiOperation } from "./operation";
import { OPERATIONS } from "./registry";

// The OpenAPI 3.1 document, derived from the operations' zod schemas (JSON Schema 2020-12 is OpenAPI 3.1's
// schema dialect), so the document, the validation and the typed client can never disagree.

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const converted: JsonSchema = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" });
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
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  ...COMMON_ERRORS,
  404: "Not found (also for another workspace's resources).",
  409: "Conflict with an existing resource.",
  413: "The request body is too large.",
  415: "The request body is not JSON.",
};

const problemRef = { $ref: "#/components/schemas/Problem" };

function responses(operation: ApiOperation) {
  const out: Record<string, unknown> = {};
  if (operation.status === 204 || !operation.response) {
    out["204"] = { description: "Done." };
  } else {
    out[String(operation.status)] = {
      description: operation.status === 201 ? "Created." : "OK.",
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
    out[String(status)] = { description: ERROR_DESCRIPTIONS[status], content: { "application/problem+json": { schema: problemRef } } };
  }
  return out;
}

function describe(operation: ApiOperation): string {
  const permission = operation.permission
    ? `Requires the \`${operation.permission}\` permission (${describePermission(operation.permission)}).`
    : "Any valid API key.";
  return [operation.description, permission].filter(Boolean).join("\n\n");
}

export function buildOpenApiDocument(operations: readonly ApiOperation[] = OPERATIONS) {
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

  return {
    openapi: "3.1.0",
    info: {
      title: "Heyoo API",
      version: "1.0.0",
      description:
        "Organisation-scoped REST API. Authenticate with an API key from Settings → API Keys: `Authorization: Bearer hey_…`. Errors are RFC 9457 problem details with a stable `code`.",
    },
    servers: [{ url: "/", description: "This Heyoo server" }],
    security: [{ apiKey: [] }],
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "hey_…", description: "A Heyoo API key." },
      },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
    },
  };
}

import "server-only";
import { buildOpenApiDocument } from "@/server/api/openapi";

// The reference page reads the OpenAPI document, not the operations: what a reader sees is exactly what a
// client generator sees. This module turns the document into what the page renders.

interface SchemaNode {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

interface MediaType {
  schema?: SchemaNode;
  example?: unknown;
}

interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
}

interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-required-permission"?: string | null;
  /** `[]` on the public endpoints (leaked-key reports): no key, no session. */
  security?: unknown[];
  parameters: { name: string; in: string; required: boolean; description?: string; schema: SchemaNode }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}

export interface Field {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  /** Limits and defaults, e.g. "1–100, default 25". */
  constraints?: string;
}

export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  /** Paragraphs; inline `code` is left to the renderer. */
  description: string[];
  permission: string | null;
  /** Called without any credentials (the leaked-key reports). */
  isPublic: boolean;
  parameters: (Field & { location: string })[];
  request?: { fields: Field[]; example?: unknown };
  response?: { status: string; description: string; fields: Field[]; example?: unknown };
  errors: { status: string; description: string }[];
}

export interface TagView {
  name: string;
  anchor: string;
  operations: OperationView[];
}

export function anchorOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function typeOf(schema: SchemaNode): string {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  if (type === "array" && schema.items) {
    const item = typeOf(schema.items);
    return item.includes(" | ") ? `(${item})[]` : `${item}[]`;
  }
  return schema.format ? `${type} (${schema.format})` : type;
}

/** Human limits; Number.MAX_SAFE_INTEGER is zod's "no limit" for integers. */
function constraintsOf(schema: SchemaNode): string | undefined {
  const parts: string[] = [];
  const bounded = (value: number | undefined) => value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (bounded(schema.minimum) && bounded(schema.maximum)) parts.push(`${schema.minimum}–${schema.maximum}`);
  else if (bounded(schema.minimum) && schema.minimum !== 0) parts.push(`≥ ${schema.minimum}`);
  else if (bounded(schema.maximum)) parts.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} items`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.length ? parts.join(", ") : undefined;
}

function objectOf(schema: SchemaNode | undefined): SchemaNode | undefined {
  if (!schema) return undefined;
  if (schema.type === "object") return schema;
  return (schema.anyOf ?? schema.oneOf)?.find((variant) => variant.type === "object");
}

/** The fields of an object schema, nested objects and arrays of objects flattened with dotted names. */
function fieldsOf(schema: SchemaNode | undefined, prefix = "", depth = 0): Field[] {
  const object = objectOf(schema);
  if (!object?.properties) return [];
  return Object.entries(object.properties).flatMap(([name, property]) => {
    const description = property.description ?? (property.anyOf ?? property.oneOf)?.find((variant) => variant.description)?.description;
    const field: Field = {
      name: `${prefix}${name}`,
      type: typeOf(property),
      required: (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      ...(constraintsOf(property) ? { constraints: constraintsOf(property) } : {}),
    };
    if (depth >= 2) return [field];
    const nested =
      property.type === "array"
        ? fieldsOf(property.items, `${prefix}${name}[].`, depth + 1)
        : fieldsOf(property, `${prefix}${name}.`, depth + 1);
    return [field, ...nested];
  });
}

/** The sentence the document appends to a public endpoint's description (src/server/api/openapi.ts). */
const PUBLIC_SENTENCE = "No API key or session: this endpoint is public.";

function paragraphs(description: string | undefined, permission: string | null, isPublic: boolean): string[] {
  // The document appends the permission sentence to every description; the page shows it in the header.
  const permissionSentence = isPublic ? PUBLIC_SENTENCE : permission ? `Requires the \`${permission}\` permission` : "Any valid API key.";
  return (description ?? "")
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph && !paragraph.startsWith(permissionSentence));
}

function operationView(method: string, path: string, operation: OperationObject): OperationView {
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  const [successStatus, success] = Object.entries(operation.responses).find(([status]) => status.startsWith("2")) ?? [];
  const successBody = success?.content?.["application/json"];
  const requestBody = operation.requestBody?.content["application/json"];
  return {
    id: operation.operationId,
    method: method.toUpperCase(),
    path,
    summary: operation.summary,
    description: paragraphs(operation.description, operation["x-required-permission"] ?? null, isPublic),
    permission: operation["x-required-permission"] ?? null,
    isPublic,
    parameters: operation.parameters.map((parameter) => ({
      name: parameter.name,
      location: parameter.in,
      type: typeOf(parameter.schema),
      required: parameter.required,
      ...(parameter.description ? { description: parameter.description } : {}),
      ...(constraintsOf(parameter.schema) ? { constraints: constraintsOf(parameter.schema) } : {}),
    })),
    ...(requestBody ? { request: { fields: fieldsOf(requestBody.schema), example: requestBody.example } } : {}),
    ...(successStatus && success
      ? {
          response: {
            status: successStatus,
            description: success.description,
            fields: fieldsOf(successBody?.schema),
            example: successBody?.example,
          },
        }
      : {}),
    errors: Object.entries(operation.responses)
      .filter(([status]) => Number(status) >= 400)
      .map(([status, response]) => ({ status, description: response.description }))
      .sort((a, b) => Number(a.status) - Number(b.status)),
  };
}

const METHOD_ORDER = ["get", "post", "put", "patch", "delete"];

let cached: TagView[] | undefined;

/** The document's operations by tag, in the document's tag order; built once per process, like the JSON. */
export function apiReference(): TagView[] {
  cached ??= buildReference();
  return cached;
}

function buildReference(): TagView[] {
  const document = buildOpenApiDocument();
  const byTag = new Map<string, OperationView[]>(document.tags.map((tag) => [tag.name, []]));
  for (const [path, item] of Object.entries(document.paths)) {
    const methods = Object.entries(item as Record<string, OperationObject>).sort(
      ([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b),
    );
    for (const [method, operation] of methods) {
      const tag = operation.tags[0] ?? "Other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operationView(method, path, operation));
    }
  }
  return [...byTag]
    .filter(([, operations]) => operations.length)
    .map(([name, operations]) => ({ name, anchor: anchorOf(name), operations }));
}

// Issue 9, "The contract": what the OpenAPI document promises is what the server does. Dot segments against
// the production server: tests/hard/raw-paths.test.ts.
import { NextRequest } from "next/server";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PUT as attachTagRoute } from "@/app/api/v1/campaigns/[id]/tags/[tagId]/route";
import { GET as listTagsRoute, POST as createTagRoute } from "@/app/api/v1/tags/route";
import { Intro } from "@/app/docs/api/intro";
import { proxy } from "@/proxy";
import { problemSchema, queryInteger } from "@/server/api/common-schemas";
import { buildOpenApiDocument } from "@/server/api/openapi";
import { OPERATIONS } from "@/server/api/registry";
import { PUBLIC_ENDPOINTS } from "@/server/leaks/endpoints";
import { AppError, ERRORS, type ErrorCode } from "@/server/http/errors";
import { problemBody } from "@/server/http/problem";
import { isUnsafeApiPath } from "@/server/http/raw-path";
import { MAX_TAGS_PER_CAMPAIGN } from "@/server/campaigns/schemas";
import { signUp } from "@/server/accounts/sign-up";
import { db } from "@/server/db";
import { createTagSchema } from "@/server/tags/schemas";
import { call, mintKey } from "../support/api";
import { PASSWORD } from "../support/factories";
import { lazy, tenant } from "../support/helpers";
import { discoverRoutes, exportedMethods } from "../support/routes";

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; required?: string[] };
interface Parameter {
  name: string;
  in: string;
  schema: Schema;
}
interface Response {
  headers?: Record<string, { $ref?: string; required?: boolean }>;
  content?: Record<string, { schema: Schema }>;
}
interface OperationObject {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
  /** An empty list: a public endpoint (no key, no session). */
  security?: unknown[];
}

const document = buildOpenApiDocument();
const documented: { path: string; method: string; operation: OperationObject }[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, OperationObject>).map(([method, operation]) => ({ path, method, operation })),
);

const owner = lazy(tenant);

describe("query integers (item 5)", () => {
  const NOT_DECIMAL = ["0x10", "1e1", "+3", " 5", "5 ", "0b11", "0o7", "1.0", "-1", "", "١٢", "10_0"];

  it("every integer query parameter in the document reads decimal digits only", () => {
    const integerParameters = documented.flatMap(({ operation }) =>
      operation.parameters
        .filter((parameter) => parameter.in === "query" && parameter.schema.type === "integer")
        .map((parameter) => ({ operation, parameter })),
    );
    expect(integerParameters.length).toBeGreaterThan(0);
    for (const { operation, parameter } of integerParameters) {
      const query = OPERATIONS.find((candidate) => candidate.id === operation.operationId)!.query!;
      for (const value of NOT_DECIMAL) {
        expect(
          query.safeParse({ [parameter.name]: value }).success,
          `${operation.operationId} ${parameter.name}=${JSON.stringify(value)}`,
        ).toBe(false);
      }
      const { minimum, maximum } = parameter.schema as { minimum: number; maximum: number };
      expect(query.safeParse({ [parameter.name]: String(minimum) }).success).toBe(true);
      expect(query.safeParse({ [parameter.name]: String(maximum) }).success).toBe(true);
      expect(query.safeParse({ [parameter.name]: String(maximum + 1) }).success).toBe(false);
      expect(parameter.schema).toMatchObject({ type: "integer", format: "int32" });
    }
  });

  it("the shared schema reads leading zeros as decimal, never as octal", () => {
    expect(queryInteger({ min: 1, max: 100, description: "n" }).parse("010")).toBe(10);
  });

  it("answers 0x10, 1e1, +3, ' 5' and 0b11 as limit with a 422 naming limit", async () => {
    const apiKey = await keyOf(await owner());
    for (const value of ["0x10", "1e1", "+3", " 5", "0b11"]) {
      const answer = await call(listTagsRoute, "GET", "/api/v1/tags", { key: apiKey, query: `?limit=${encodeURIComponent(value)}` });
      expect(answer.status, value).toBe(422);
      expect(Object.keys((answer.json as { errors: object }).errors)).toEqual(["limit"]);
    }
    expect((await call(listTagsRoute, "GET", "/api/v1/tags", { key: apiKey, query: "?limit=5" })).status).toBe(200);
  });
});

describe("tag colours (item 5)", () => {
  const colorPattern = () => {
    const body = documented.find(({ operation }) => operation.operationId === "createTag")!.operation.requestBody!.content[
      "application/json"
    ]!.schema;
    return new RegExp(body.properties!.color!.pattern as string);
  };

  it("the documented pattern accepts exactly what the server accepts", () => {
    for (const color of ["#3B82F6", "#3b82f6", "#38F", "#abc", "#AbC", "#3b82f", "red", "#ggg", "#12345678", "3b82f6", "#3b82f6 "]) {
      expect(colorPattern().test(color), color).toBe(createTagSchema.safeParse({ name: "x", color }).success && color.trim() === color);
    }
  });

  it("stores an upper-case colour as lower-case #rrggbb", async () => {
    const apiKey = await keyOf(await owner());
    const created = await call(createTagRoute, "POST", "/api/v1/tags", {
      key: apiKey,
      body: { name: `Colour ${Date.now()}`, color: "#3B82F6" },
    });
    expect(created.status).toBe(201);
    expect(created.json?.color).toBe("#3b82f6");
  });
});

describe("response headers and 5xx in the document (item 6)", () => {
  it("every response declares X-Request-Id; successes RateLimit and RateLimit-Policy; 429 and 503 Retry-After; every operation 500 and 503", () => {
    for (const { operation } of documented) {
      for (const status of ["500", "503"]) expect(operation.responses, `${operation.operationId} ${status}`).toHaveProperty(status);
      for (const [status, response] of Object.entries(operation.responses)) {
        const headers = response.headers ?? {};
        const where = `${operation.operationId} ${status}`;
        expect(headers["X-Request-Id"], where).toBeDefined();
        if (status.startsWith("2")) {
          expect(headers.RateLimit?.required, where).toBe(true);
          expect(headers["RateLimit-Policy"]?.required, where).toBe(true);
        }
        if (status.startsWith("4")) expect(headers.RateLimit, where).toBeDefined();
        if (status === "429" || status === "503") expect(headers["Retry-After"], where).toBeDefined();
        // A key that stops within a week is warned on every answer that got past the door; public endpoints take no key.
        const keyed = !(Array.isArray(operation.security) && operation.security.length === 0);
        const warns = keyed && status !== "401" && status !== "503";
        expect(headers["Heyoo-Key-Expires-At"] !== undefined, where).toBe(warns);
        expect(headers["Heyoo-Key-Warning"] !== undefined, where).toBe(warns);
      }
    }
    expect(Object.keys(document.components.headers).sort()).toEqual([
      "Heyoo-Key-Expires-At",
      "Heyoo-Key-Warning",
      "RateLimit",
      "RateLimit-Policy",
      "Retry-After",
      "X-Request-Id",
    ]);
  });

  it("a successful answer carries the headers the document says it always carries", async () => {
    const apiKey = await keyOf(await owner());
    const answer = await call(listTagsRoute, "GET", "/api/v1/tags", { key: apiKey });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get("ratelimit")).toMatch(new RegExp(document.components.headers.RateLimit.schema.pattern));
    expect(answer.headers.get("ratelimit-policy")).toMatch(new RegExp(document.components.headers["RateLimit-Policy"].schema.pattern));
  });
});

describe("problem types resolve on this deployment (item 6)", () => {
  const page = renderToStaticMarkup(createElement(Intro));

  it("every code of ERRORS has its anchor on /docs/api, with its status, meaning and what to do", () => {
    for (const [code, { status }] of Object.entries(ERRORS) as [ErrorCode, (typeof ERRORS)[ErrorCode]][]) {
      const row = new RegExp(`<tr id="error-${code}"[^>]*>(.*?)</tr>`).exec(page)?.[1] ?? "";
      expect(row, code).toContain(`>${status} `);
      expect(row.split("<td").length - 1, code).toBe(4);
    }
  });

  it("every problem's type is that anchor, a path on this server", () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const body = problemBody(new AppError(code, "Something."), crypto.randomUUID());
      expect(body.type).toBe(`/docs/api#error-${code}`);
      expect(page).toContain(`id="${body.type.split("#")[1]}"`);
      expect(problemSchema.safeParse(body).success, code).toBe(true);
    }
  });

  it("a problem stays within the bounds the document states, however long its detail and field errors", () => {
    const fieldErrors = { [`f${"x".repeat(500)}`]: Array.from({ length: 50 }, () => "m".repeat(5000)), short: ["ok"] };
    const body = problemBody(new AppError("unprocessable_entity", "d".repeat(10_000), { fieldErrors }), crypto.randomUUID());
    expect(problemSchema.safeParse(body).error?.issues ?? []).toEqual([]);
    expect(body.errors!.short).toEqual(["ok"]);
  });
});

describe("405 Method Not Allowed (item 6)", () => {
  // TRACE and other methods cannot be built as a Request here; tests/hard/raw-paths.test.ts sends them raw.
  const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

  it("answers every method an /api/v1 route does not export as problem+json with the exact Allow header", async () => {
    let refused = 0;
    for (const route of discoverRoutes()) {
      if (route.catchAll) continue;
      const exported = await exportedMethods(route);
      const allow = new Set([...exported, "OPTIONS", ...(exported.includes("GET") ? ["HEAD"] : [])]);
      const path = route.path!.replace(/\{[^}]+\}/g, "cm3k2j4l50000abcd1234efgh");
      for (const method of METHODS) {
        const answer = proxy(new NextRequest(`http://localhost${path}`, { method }));
        if (allow.has(method)) {
          expect(answer.status, `${method} ${path}`).not.toBe(405);
          continue;
        }
        refused += 1;
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.get("allow")).toBe([...allow].sort().join(", "));
        expect(answer.headers.get("content-type")).toBe("application/problem+json");
        const body = (await answer.json()) as z.infer<typeof problemSchema>;
        expect(body).toMatchObject({ status: 405, code: "method_not_allowed", type: "/docs/api#error-method_not_allowed" });
        expect(answer.headers.get("x-request-id")).toBe(body.requestId);
      }
    }
    expect(refused).toBeGreaterThan(20);
  });

  it("leaves unknown paths to the catch-all's 404", () => {
    expect(proxy(new NextRequest("http://localhost/api/v1/nothing-here", { method: "PATCH" })).status).not.toBe(405);
  });
});

describe("dot segments (item 2)", () => {
  it("refuses raw and encoded dot segments, in any case, and slashes hidden in a segment", () => {
    const refused = [
      "/api/v1/campaigns/%2e%2e/tags/x",
      "/api/v1/campaigns/%2E%2E/tags/x",
      "/api/v1/campaigns/.%2e/tags/x",
      "/api/v1/campaigns/%2e./tags/x",
      "/api/v1/campaigns/../tags/x",
      "/api/v1/campaigns/%2e",
      "/api/v1/campaigns/.",
      "/api/v1/campaigns/%2e%2e",
      "/api/v1/campaigns/..%2ftags",
      "/api/v1/campaigns/..%2Ftags",
      "/api/v1/campaigns/..%5ctags",
      "/api/v1/campaigns/..\\tags",
      "/api/v1/tags/x/..?q=1",
      "/docs/../api/v1/tags/x",
      "/%2e%2e/api/v1/tags",
      "http://localhost/api/v1/campaigns/%2e%2e/tags/x",
    ];
    for (const path of refused) expect(isUnsafeApiPath(path), path).toBe(true);
    const allowed = [
      "/api/v1/tags",
      "/api/v1/tags/cm3k2j4l5",
      "/api/v1/tags?q=..",
      "/api/v1/tags?q=%2e%2e",
      "/api/v1/openapi.json",
      "/api/v1/tags/a.b",
      "/api/v1/tags/...",
      "/docs/api",
      "/docs/../settings",
      "/api/v1/tags/%zz",
    ];
    for (const path of allowed) expect(isUnsafeApiPath(path), path).toBe(false);
  });
});

describe("limits in the document are enforced (item 8)", () => {
  /** Every (path, schema) of a string with maxLength or an array with maxItems, in objects reachable from `schema`. */
  function bounded(schema: Schema, path: (string | number)[] = []): { path: (string | number)[]; schema: Schema }[] {
    const variants = schema.anyOf ?? [schema];
    return variants.flatMap((variant) => {
      const own = variant.maxLength !== undefined || variant.maxItems !== undefined ? [{ path, schema: variant }] : [];
      const properties = Object.entries(variant.properties ?? {}).flatMap(([name, property]) => bounded(property, [...path, name]));
      const items = variant.items ? bounded(variant.items, [...path, 0]) : [];
      return [...own, ...properties, ...items];
    });
  }

  function withValue(example: unknown, path: (string | number)[], value: unknown): unknown | undefined {
    const copy = structuredClone(example) as Record<string | number, unknown>;
    let at: Record<string | number, unknown> | undefined = copy;
    for (const key of path.slice(0, -1)) at = at?.[key] as Record<string | number, unknown> | undefined;
    if (!at || !(path.at(-1)! in at)) return undefined;
    at[path.at(-1)!] = value;
    return copy;
  }

  function overLimit(schema: Schema, current: unknown): unknown {
    if (schema.maxLength !== undefined) return "a".repeat((schema.maxLength as number) + 1);
    return Array.from({ length: (schema.maxItems as number) + 1 }, () => (Array.isArray(current) ? current[0] : undefined));
  }

  it("a request body or an answer one past a documented maxLength or maxItems fails the operation's own schema", () => {
    let checked = 0;
    for (const { operation } of documented) {
      // The public endpoints (no principal) are declared outside the registry, with the same fields.
      const source = [...OPERATIONS, ...PUBLIC_ENDPOINTS].find((candidate) => candidate.id === operation.operationId)!;
      const sides = [
        { zod: source.body, example: source.example?.request, schema: operation.requestBody?.content["application/json"]?.schema },
        {
          zod: source.response,
          example: source.example?.response,
          schema: Object.values(operation.responses)[0]?.content?.["application/json"]?.schema,
        },
      ];
      for (const { zod, example, schema } of sides) {
        if (!zod || !example || !schema) continue;
        for (const limit of bounded(schema)) {
          if (!limit.path.length) continue;
          let current: unknown = example;
          for (const key of limit.path) current = (current as Record<string | number, unknown> | undefined)?.[key];
          if (current === undefined || current === null) continue;
          const changed = withValue(example, limit.path, overLimit(limit.schema, current));
          if (changed === undefined) continue;
          const issues = zod.safeParse(changed).error?.issues ?? [];
          // Refused for being too long, not for something else the made-up value gets wrong.
          expect(
            issues.some((issue) => issue.code === "too_big" && issue.path.join(".") === limit.path.join(".")),
            `${operation.operationId} ${limit.path.join(".")}: ${JSON.stringify(issues)}`,
          ).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("the bounds behind maxItems (item 8)", () => {
  it("a campaign carries at most MAX_TAGS_PER_CAMPAIGN tags: one more is a 409, attaching one it has changes nothing", async () => {
    const team = await tenant();
    const workspaceId = team.workspace.id;
    const campaign = await db.campaign.create({ data: { workspaceId, name: "Many tags", subject: "s" } });
    await db.tag.createMany({
      data: Array.from({ length: MAX_TAGS_PER_CAMPAIGN + 1 }, (_, n) => ({ workspaceId, name: `t${n}`, color: "#123456" })),
    });
    const tags = await db.tag.findMany({ where: { workspaceId }, orderBy: { name: "asc" } });
    const [extra, ...attached] = tags;
    await db.campaignTag.createMany({ data: attached.map((tag) => ({ workspaceId, campaignId: campaign.id, tagId: tag.id })) });
    const apiKey = await keyOf(team);
    const params = (tagId: string) => ({ id: campaign.id, tagId });
    const refused = await call(attachTagRoute, "PUT", `/api/v1/campaigns/${campaign.id}/tags/${extra!.id}`, {
      key: apiKey,
      params: params(extra!.id),
    });
    expect(refused.status).toBe(409);
    expect(refused.json?.code).toBe("conflict");
    const again = await call(attachTagRoute, "PUT", `/api/v1/campaigns/${campaign.id}/tags/${attached[0]!.id}`, {
      key: apiKey,
      params: params(attached[0]!.id),
    });
    expect(again.status).toBe(200);
    expect((again.json as { tags: unknown[] }).tags).toHaveLength(MAX_TAGS_PER_CAMPAIGN);
  });

  it("signing up with a 100-character first name makes a workspace whose name fits the 64 the document states", async () => {
    const { user } = await signUp({ name: "N".repeat(100), email: `long-${Date.now()}@example.com`, password: PASSWORD });
    const membership = await db.membership.findFirstOrThrow({
      where: { userId: user.id },
      select: { workspace: { select: { name: true } } },
    });
    expect(membership.workspace.name.length).toBeLessThanOrEqual(64);
    expect(membership.workspace.name).toBe(`${"N".repeat(52)}'s workspace`);
  });
});

async function keyOf(team: Awaited<ReturnType<typeof tenant>>): Promise<string> {
  return (await mintKey(team.owner)).key;
}

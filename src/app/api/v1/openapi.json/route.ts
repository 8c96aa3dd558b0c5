// GET /api/v1/openapi.json – the OpenAPI 3.1 document of this API (public, no key needed)
import { buildOpenApiDocument } from "@/server/api/openapi";

let document: string | undefined;

export function GET(): Response {
  document ??= JSON.stringify(buildOpenApiDocument());
  return new Response(document, { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } });
}

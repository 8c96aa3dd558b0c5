import { createApiKey } from "@/server/api-keys/create-api-key";
import { createApiKeySchema } from "@/server/api-keys/schemas";
import type { Principal } from "@/server/auth/principal";
import { recordExchange, rememberApiKey } from "./secrets";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  key?: string;
  headers?: Record<string, string>;
  body?: unknown;
  params?: Record<string, string>;
  query?: string;
}

/** Calls a route handler the way Next.js does, with a real Request. */
export async function call(handler: Handler, method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  const request = new Request(`http://localhost${path}${options.query ?? ""}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  await recordExchange(request, response);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Mints a key through the real service, as `principal` would in the browser; its secret goes to the ledger. */
export async function mintKey(principal: Principal, input: Record<string, unknown> = {}) {
  const created = await createApiKey(principal, createApiKeySchema.parse({ name: "Test key", kind: "all", ...input }));
  rememberApiKey(created.key);
  return created;
}

import createClient, { type Client } from "openapi-fetch";
import type { paths } from "@/generated/api";

export type { paths } from "@/generated/api";
export type HeyooClient = Client<paths>;

/**
 * The typed Heyoo API client (the SDK the docs promise). Every path, parameter, body and response is typed
 * from the OpenAPI document:
 *
 *   const heyoo = createHeyooClient({ baseUrl: "https://app.heyoo.ai", apiKey: process.env.HEYOO_API_KEY! });
 *   const { data, error } = await heyoo.GET("/api/v1/me");
 */
export function createHeyooClient(options: { baseUrl: string; apiKey: string; fetch?: typeof fetch }): HeyooClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

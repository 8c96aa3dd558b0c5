// GET /api/v1/api-keys – list the workspace's API keys (never their secrets)
// POST /api/v1/api-keys – create an API key; the response carries the secret, this once
import { createApiKey } from "@/server/api-keys/create-api-key";
import { listApiKeys } from "@/server/api-keys/read-api-keys";
import { createApiKeySchema } from "@/server/api-keys/schemas";
import { apiRoute } from "@/server/http/api-route";

export const GET = apiRoute({ permission: "apiKeys.read" }, async ({ principal }) => ({
  body: { data: await listApiKeys(principal) },
}));

export const POST = apiRoute({ permission: "apiKeys.write" }, async ({ principal, body }) => ({
  status: 201,
  body: await createApiKey(principal, await body(createApiKeySchema)),
}));

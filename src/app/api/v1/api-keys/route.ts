// GET /api/v1/api-keys – list the workspace's API keys (never their secrets)
// POST /api/v1/api-keys – create an API key; the response carries the secret, this once
import { createApiKey } from "@/server/api-keys/create-api-key";
import { createApiKeyOperation, listApiKeysOperation } from "@/server/api-keys/operations";
import { listApiKeys } from "@/server/api-keys/read-api-keys";
import { handle } from "@/server/api/handle";

export const GET = handle(listApiKeysOperation, async ({ principal }) => ({ data: await listApiKeys(principal) }));

export const POST = handle(createApiKeyOperation, ({ principal, body }) => createApiKey(principal, body));

// GET /api/v1/api-keys – list the workspace's API keys a page at a time, searched, filtered and sorted (never their secrets)
// POST /api/v1/api-keys – create an API key; the response carries the secret, this once
import { createApiKey } from "@/server/api-keys/create-api-key";
import { createApiKeyOperation, listApiKeysOperation } from "@/server/api-keys/operations";
import { listApiKeys } from "@/server/api-keys/read-api-keys";
import { handle } from "@/server/api/handle";

export const GET = handle(listApiKeysOperation, ({ principal, query }) => listApiKeys(principal, query));

export const POST = handle(createApiKeyOperation, ({ principal, body }) => createApiKey(principal, body));

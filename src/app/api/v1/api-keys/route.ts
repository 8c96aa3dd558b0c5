// GET /api/v1/api-keys – list the workspace's API keys a page at a time, searched, filtered and sorted (never their secrets)
// POST /api/v1/api-keys – create an API key; the response carries the secret, this once
import { handle } from "@/server/api/handle";
import { createApiKeyOperation, listApiKeysOperation } from "@/server/api-keys/operations";

export const GET = handle(listApiKeysOperation);

export const POST = handle(createApiKeyOperation);

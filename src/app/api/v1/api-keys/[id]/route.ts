// GET /api/v1/api-keys/{id} – one key's metadata
// PATCH /api/v1/api-keys/{id} – rename it or change its permissions
// DELETE /api/v1/api-keys/{id} – delete it (and its machine user); the next request with it gets a 401
import { deleteApiKey, updateApiKey } from "@/server/api-keys/manage-api-key";
import { deleteApiKeyOperation, getApiKeyOperation, updateApiKeyOperation } from "@/server/api-keys/operations";
import { getApiKey } from "@/server/api-keys/read-api-keys";
import { handle } from "@/server/api/handle";

export const GET = handle(getApiKeyOperation, ({ principal, params }) => getApiKey(principal, params.id));

export const PATCH = handle(updateApiKeyOperation, ({ principal, params, body }) => updateApiKey(principal, params.id, body));

export const DELETE = handle(deleteApiKeyOperation, ({ principal, params }) => deleteApiKey(principal, params.id));

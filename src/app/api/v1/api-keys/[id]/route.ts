// GET /api/v1/api-keys/{id} – one key's metadata
// PATCH /api/v1/api-keys/{id} – rename it or change its permissions
// DELETE /api/v1/api-keys/{id} – delete it (and its machine user); the next request with it gets a 401
import { handle } from "@/server/api/handle";
import { deleteApiKeyOperation, getApiKeyOperation, updateApiKeyOperation } from "@/server/api-keys/operations";

export const GET = handle(getApiKeyOperation);

export const PATCH = handle(updateApiKeyOperation);

export const DELETE = handle(deleteApiKeyOperation);

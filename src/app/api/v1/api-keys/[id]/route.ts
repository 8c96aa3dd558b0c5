// GET /api/v1/api-keys/{id} – one key's metadata
// PATCH /api/v1/api-keys/{id} – rename it or change its permissions
// DELETE /api/v1/api-keys/{id} – delete it (and its machine user); the next request with it gets a 401
import { z } from "zod";
import { deleteApiKey, updateApiKey } from "@/server/api-keys/manage-api-key";
import { getApiKey } from "@/server/api-keys/read-api-keys";
import { apiKeyIdSchema, updateApiKeySchema } from "@/server/api-keys/schemas";
import { apiRoute } from "@/server/http/api-route";

const params = z.object({ id: apiKeyIdSchema });

export const GET = apiRoute({ permission: "apiKeys.read", params }, async ({ principal, params }) => ({
  body: await getApiKey(principal, params.id),
}));

export const PATCH = apiRoute({ permission: "apiKeys.write", params }, async ({ principal, params, body }) => ({
  body: await updateApiKey(principal, params.id, await body(updateApiKeySchema)),
}));

export const DELETE = apiRoute({ permission: "apiKeys.write", params }, async ({ principal, params }) => {
  await deleteApiKey(principal, params.id);
  return { status: 204 };
});

// POST /api/v1/api-keys/{id}/stop – end a rolled key's grace period now
import { handle } from "@/server/api/handle";
import { stopApiKeyOperation } from "@/server/api-keys/operations";

export const POST = handle(stopApiKeyOperation);

// GET /api/v1/api-keys/{id}/usage – the key's requests (90 days) and the permissions it does not use
import { handle } from "@/server/api/handle";
import { getApiKeyUsageOperation } from "@/server/api-keys/operations";

export const GET = handle(getApiKeyUsageOperation);

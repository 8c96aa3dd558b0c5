// POST /api/v1/api-keys/{id}/roll – a new secret for the key; the old one works for the grace period chosen
import { handle } from "@/server/api/handle";
import { rollApiKeyOperation } from "@/server/api-keys/operations";

export const POST = handle(rollApiKeyOperation);

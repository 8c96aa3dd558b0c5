// POST /api/v1/api-keys/{id}/restrict – keep only the permissions the key uses (or the ones previewed)
import { handle } from "@/server/api/handle";
import { restrictApiKeyOperation } from "@/server/api-keys/operations";

export const POST = handle(restrictApiKeyOperation);

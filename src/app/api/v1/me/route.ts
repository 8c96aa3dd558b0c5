// GET /api/v1/me – the calling key's (or session's) workspace, owner and effective permissions
import { getMe } from "@/server/api-keys/operations";
import { handle } from "@/server/api/handle";

export const GET = handle(getMe);

// GET /api/v1/workspaces/{idOrSlug} – the key's workspace, by id or slug (any other answers 404)
// PATCH /api/v1/workspaces/{idOrSlug} – rename it or change its slug (owners' keys)
import { handle } from "@/server/api/handle";
import { getWorkspaceOperation, updateWorkspaceOperation } from "@/server/workspaces/operations";

export const GET = handle(getWorkspaceOperation);

export const PATCH = handle(updateWorkspaceOperation);

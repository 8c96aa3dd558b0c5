// GET /api/v1/workspaces/{idOrSlug} – the key's workspace, by id or slug (any other answers 404)
// PATCH /api/v1/workspaces/{idOrSlug} – rename it or change its slug (owners' keys)
import { handle } from "@/server/api/handle";
import { getWorkspace } from "@/server/workspaces/get-workspace";
import { updateWorkspaceOperation, getWorkspaceOperation } from "@/server/workspaces/operations";
import { patchWorkspace } from "@/server/workspaces/patch-workspace";

export const GET = handle(getWorkspaceOperation, ({ principal, params }) => getWorkspace(principal, params.idOrSlug));

export const PATCH = handle(updateWorkspaceOperation, ({ principal, params, body }) => patchWorkspace(principal, params.idOrSlug, body));

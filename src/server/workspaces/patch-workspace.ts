import { requirePermission, type Principal } from "@/server/auth/principal";
import { ownWorkspaceOrThrow, toWorkspaceView, type WorkspaceView } from "./get-workspace";
import type { UpdateWorkspaceInput } from "./schemas";
import { updateWorkspace } from "./update-workspace";

/** PATCH /workspaces/{idOrSlug}: the same rename as Settings → General, once the reference is the caller's own. */
export async function patchWorkspace(principal: Principal, idOrSlug: string, input: UpdateWorkspaceInput): Promise<WorkspaceView> {
  requirePermission(principal, "workspaces.write");
  await ownWorkspaceOrThrow(principal, idOrSlug);
  return toWorkspaceView(await updateWorkspace(principal, input));
}

// GET /api/v1/me – the calling key's (or session's) workspace, owner and effective permissions
import { getMe } from "@/server/api-keys/operations";
import { handle } from "@/server/api/handle";
import { PERMISSIONS } from "@/server/auth/permissions";

export const GET = handle(getMe, async ({ principal }) => ({
  workspace: principal.workspace,
  owner: { id: principal.user.id, name: principal.user.name, type: principal.user.isMachine ? ("machine" as const) : ("user" as const) },
  role: principal.role,
  apiKey: principal.apiKey,
  // In the table's order, so the list reads the same every time.
  permissions: PERMISSIONS.filter((permission) => principal.permissions.has(permission)),
}));

// GET /api/v1/me – the calling key's (or session's) workspace, owner and effective permissions
import { apiRoute } from "@/server/http/api-route";
import { PERMISSIONS } from "@/server/auth/permissions";

export const GET = apiRoute({ permission: null }, async ({ principal }) => ({
  body: {
    workspace: principal.workspace,
    owner: { id: principal.user.id, name: principal.user.name, type: principal.user.isMachine ? "machine" : "user" },
    role: principal.role,
    apiKey: principal.apiKey,
    // In the table's order, so the list reads the same every time.
    permissions: PERMISSIONS.filter((permission) => principal.permissions.has(permission)),
  },
}));

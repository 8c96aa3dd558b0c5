import { db } from "@/server/db";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { notFound } from "@/server/http/errors";
import { apiKeySelect, toApiKeyView, type ApiKeyView } from "./serialize";

/** Every key of the workspace, newest first; members see all keys' metadata (never a secret). */
export async function listApiKeys(principal: Principal): Promise<ApiKeyView[]> {
  requirePermission(principal, "apiKeys.read");
  const rows = await db.apiKey.findMany({
    where: { workspaceId: principal.workspace.id },
    select: apiKeySelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toApiKeyView);
}

export async function getApiKey(principal: Principal, id: string): Promise<ApiKeyView> {
  requirePermission(principal, "apiKeys.read");
  const row = await db.apiKey.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: apiKeySelect });
  if (!row) throw notFound("API key");
  return toApiKeyView(row);
}

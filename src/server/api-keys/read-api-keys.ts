import { db } from "@/server/db";
import type { Principal } from "@/server/auth/principal";
import { notFound } from "@/server/http/errors";
import { apiKeySelect, toApiKeyView } from "./serialize";
import type { ApiKey } from "@/server/api-keys/schemas";

/** Every key of the workspace, newest first; members see all keys' metadata (never a secret). */
export async function listApiKeys(principal: Principal): Promise<ApiKey[]> {
  const rows = await db.apiKey.findMany({
    where: { workspaceId: principal.workspace.id },
    select: apiKeySelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  return rows.map(toApiKeyView);
}

export async function getApiKey(principal: Principal, id: string): Promise<ApiKey> {
  const row = await db.apiKey.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: apiKeySelect });
  if (!row) throw notFound("API key");
  return toApiKeyView(row);
}

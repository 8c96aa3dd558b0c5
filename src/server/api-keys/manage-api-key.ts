import "server-only";
import { db, type Tx } from "@/server/db";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { notFound } from "@/server/http/errors";
import { resolveScopes } from "./key-scopes";
import type { UpdateApiKeyInput } from "./schemas";
import { apiKeySelect, toApiKeyView } from "./serialize";
import type { ApiKey } from "@/server/api-keys/schemas";

/**
 * The key `id` of the principal's workspace, if the principal may change it: members manage the keys they
 * own, owners (apiKeys.manageAll) every key. Someone else's key is a 403 naming apiKeys.manageAll.
 */
async function manageableKeyOrThrow(tx: Tx, principal: Principal, id: string) {
  const key = await tx.apiKey.findFirst({
    where: { id, workspaceId: principal.workspace.id },
    select: { id: true, kind: true, ownerId: true, membership: { select: { user: { select: { isMachine: true } } } } },
  });
  if (!key) throw notFound("API key");
  if (key.ownerId !== principal.user.id) requirePermission(principal, "apiKeys.manageAll");
  return key;
}

export async function updateApiKey(principal: Principal, id: string, input: UpdateApiKeyInput): Promise<ApiKey> {
  return db.$transaction(async (tx) => {
    const key = await manageableKeyOrThrow(tx, principal, id);
    const permissions = input.kind ? resolveScopes(principal, input.kind, input.permissions) : undefined;
    const row = await tx.apiKey.update({
      where: { id: key.id },
      data: { name: input.name, kind: input.kind, permissions, expiresAt: input.expiresAt },
      select: apiKeySelect,
    });
    if (input.name && row.membership.user.isMachine) {
      // A machine user is named after its key, so the People tab stays readable.
      await tx.user.update({ where: { id: row.ownerId }, data: { name: input.name } });
    }
    return toApiKeyView(row);
  });
}

/**
 * Deletes a key; the next request with it is refused. A machine user's key takes the machine user with it,
 * in the same transaction (and deleting the machine user deletes the key through the foreign key).
 */
export async function deleteApiKey(principal: Principal, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await manageableKeyOrThrow(tx, principal, id);
    if (key.membership.user.isMachine) {
      const { count } = await tx.user.deleteMany({ where: { id: key.ownerId, isMachine: true } });
      if (count === 0) throw notFound("API key");
    } else {
      const { count } = await tx.apiKey.deleteMany({ where: { id: key.id } });
      if (count === 0) throw notFound("API key");
    }
  });
}

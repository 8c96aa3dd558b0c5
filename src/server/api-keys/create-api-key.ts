import "server-only";
import { randomBytes } from "node:crypto";
import { actorOf, recordAuditEvent } from "@/server/audit/record";
import { now as clockNow } from "@/server/clock";
import { db } from "@/server/db";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { AppError } from "@/server/http/errors";
import { isForeignKeyViolation } from "@/server/prisma-errors";
import { generateApiKey } from "./key-format";
import { resolveScopes } from "./key-scopes";
import type { CreateApiKeyInput } from "./schemas";
import { apiKeySelect, toApiKeyView } from "./serialize";
import type { ApiKey } from "@/server/api-keys/schemas";

/**
 * Creates a key and returns its secret, the only time it is ever available. "Machine" creates a machine
 * user in the same transaction: a workspace member that cannot sign in and owns just this key.
 */
export async function createApiKey(principal: Principal, input: CreateApiKeyInput): Promise<ApiKey & { key: string }> {
  if (input.owner === "machine") requirePermission(principal, "machineUsers.create");
  else if (principal.user.isMachine) {
    throw new AppError("unprocessable_entity", "A machine user owns exactly one key. Create a Machine key instead.", {
      fieldErrors: { owner: ['Use "machine".'] },
    });
  }
  const scopes = resolveScopes(principal, input.kind, input.permissions);
  const secret = generateApiKey();
  const workspaceId = principal.workspace.id;

  const row = await db.$transaction(async (tx) => {
    let ownerId = principal.user.id;
    if (input.owner === "machine") {
      const machine = await tx.user.create({
        data: {
          // Machine users never sign in; the address only keeps the unique column filled.
          email: `machine-${randomBytes(12).toString("hex")}@machine.heyoo.invalid`,
          name: input.name,
          isMachine: true,
          memberships: { create: { workspaceId, role: "owner" } },
        },
      });
      ownerId = machine.id;
      await recordAuditEvent(tx, {
        workspaceId,
        action: "machine_user.created",
        actor: actorOf(principal),
        target: { type: "machine_user", id: machine.id, name: machine.name },
        changes: { role: "owner" },
      });
    }
    return tx.apiKey
      .create({
        data: {
          workspaceId,
          name: input.name,
          hashedKey: secret.hashedKey,
          partialKey: secret.partialKey,
          kind: input.kind,
          permissions: scopes,
          ownerId,
          createdById: principal.user.isMachine ? null : principal.user.id,
          expiresAt: input.expiresAt ?? null,
          ipAllowlist: input.ipAllowlist,
        },
        select: apiKeySelect,
      })
      .catch((error: unknown) => {
        // The owner left the workspace after this request was authenticated: the key's foreign key to the
        // membership refuses the row, and nothing was written.
        if (isForeignKeyViolation(error)) throw new AppError("conflict", "The key's owner is no longer a member of this workspace.");
        throw error;
      })
      .then(async (created) => {
        await recordAuditEvent(tx, {
          workspaceId,
          action: "api_key.created",
          actor: actorOf(principal),
          target: { type: "api_key", id: created.id, name: created.name },
          changes: {
            partialKey: created.partialKey,
            kind: created.kind,
            permissions: created.permissions,
            owner: input.owner,
            expiresAt: created.expiresAt?.toISOString() ?? null,
            ipAllowlist: created.ipAllowlist,
          },
        });
        return created;
      });
  });
  return { ...toApiKeyView(row, clockNow()), key: secret.key };
}

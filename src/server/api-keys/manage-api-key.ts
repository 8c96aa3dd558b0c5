import "server-only";
import { actorOf, changedFields, recordAuditEvent } from "@/server/audit/record";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { now as clockNow } from "@/server/clock";
import { db, type Tx } from "@/server/db";
import { AppError, notFound } from "@/server/http/errors";
import { generateApiKey } from "./key-format";
import { resolveScopes } from "./key-scopes";
import { GRACE_PERIODS, type ApiKey, type RestrictApiKeyInput, type RollApiKeyInput, type UpdateApiKeyInput } from "./schemas";
import { smallestScopesFor } from "./advice";
import { keyAdvice, type OperationIndex } from "./usage";
import { apiKeySelect, apiKeyStatus, toApiKeyView, type ApiKeyRow } from "./serialize";

/**
 * The key `id` of the principal's workspace, if the principal may change it: members manage the keys they
 * own, owners (apiKeys.manageAll) every key. Someone else's key is a 403 naming apiKeys.manageAll.
 */
async function manageableKeyOrThrow(tx: Tx, principal: Principal, id: string): Promise<ApiKeyRow> {
  const key = await tx.apiKey.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: apiKeySelect });
  if (!key) throw notFound("API key");
  if (key.ownerId !== principal.user.id) requirePermission(principal, "apiKeys.manageAll");
  return key;
}

/** What the audit log keeps of a key's settings (never its secret or hash). */
function auditedSettings(key: Pick<ApiKeyRow, "name" | "kind" | "permissions" | "expiresAt" | "ipAllowlist">) {
  return {
    name: key.name,
    kind: key.kind,
    permissions: key.permissions,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    ipAllowlist: key.ipAllowlist,
  };
}

const target = (key: Pick<ApiKeyRow, "id" | "name">) => ({ type: "api_key" as const, id: key.id, name: key.name });

export async function updateApiKey(principal: Principal, id: string, input: UpdateApiKeyInput): Promise<ApiKey> {
  return db.$transaction(async (tx) => {
    const key = await manageableKeyOrThrow(tx, principal, id);
    const permissions = input.kind ? resolveScopes(principal, input.kind, input.permissions) : undefined;
    const row = await tx.apiKey.update({
      where: { id: key.id },
      data: { name: input.name, kind: input.kind, permissions, expiresAt: input.expiresAt, ipAllowlist: input.ipAllowlist },
      select: apiKeySelect,
    });
    if (input.name && row.membership.user.isMachine) {
      // A machine user is named after its key, so the People tab stays readable.
      await tx.user.update({ where: { id: row.ownerId }, data: { name: input.name } });
    }
    const changes = changedFields(auditedSettings(key), auditedSettings(row));
    if (Object.keys(changes).length > 0) {
      await recordAuditEvent(tx, {
        workspaceId: principal.workspace.id,
        action: "api_key.updated",
        actor: actorOf(principal),
        target: target(row),
        changes,
      });
    }
    return toApiKeyView(row, clockNow());
  });
}

/**
 * Deletes a key; the next request with it is refused. A machine user's last key takes the machine user with
 * it, in the same transaction (and deleting the machine user deletes the key through the foreign key). A
 * machine user holds two keys only while one of them is a rolled key in its grace period.
 */
export async function deleteApiKey(principal: Principal, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const key = await manageableKeyOrThrow(tx, principal, id);
    await recordAuditEvent(tx, {
      workspaceId: principal.workspace.id,
      action: "api_key.deleted",
      actor: actorOf(principal),
      target: target(key),
      changes: { partialKey: key.partialKey, ...auditedSettings(key) },
    });
    if (key.membership.user.isMachine) {
      // The machine user before its keys, in the order removing the machine user from People locks them (the
      // user, then by cascade its keys), so the two never wait on each other.
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${key.ownerId} FOR UPDATE`;
      const others = await tx.apiKey.count({ where: { ownerId: key.ownerId, id: { not: key.id } } });
      if (others > 0) {
        const { count } = await tx.apiKey.deleteMany({ where: { id: key.id } });
        if (count === 0) throw notFound("API key");
        return;
      }
      const machine = key.membership.user;
      const { count } = await tx.user.deleteMany({ where: { id: key.ownerId, isMachine: true } });
      if (count === 0) throw notFound("API key");
      await recordAuditEvent(tx, {
        workspaceId: principal.workspace.id,
        action: "machine_user.deleted",
        actor: actorOf(principal),
        target: { type: "machine_user", id: machine.id, name: machine.name },
        changes: { reason: "last_key_deleted" },
      });
      return;
    }
    const { count } = await tx.apiKey.deleteMany({ where: { id: key.id } });
    if (count === 0) throw notFound("API key");
  });
}

/**
 * Rolls a key: a new secret with the same name, owner, permissions, allowlist and expiry, while the old key
 * keeps working for the grace period chosen (never past its own expiry) and then stops. Two rolls of one key
 * racing each other: the conditional claim below lets exactly one through; the other is a 409.
 */
export async function rollApiKey(
  principal: Principal,
  id: string,
  input: RollApiKeyInput,
): Promise<ApiKey & { key: string; replaced: ApiKey }> {
  const secret = generateApiKey();
  return db.$transaction(async (tx) => {
    const now = clockNow();
    const old = await manageableKeyOrThrow(tx, principal, id);
    const status = apiKeyStatus(old, now);
    if (old.rolledAt) throw new AppError("conflict", "This key was already rolled. Roll the key that replaced it instead.");
    if (status === "expired") throw new AppError("conflict", "This key has expired and cannot be rolled. Create a new key instead.");
    // A leaked key is dead already: its replacement starts now, with no grace for the leaked one.
    const grace = status === "leaked" ? 0 : GRACE_PERIODS[input.gracePeriod];
    let stopsAt = new Date(now.getTime() + grace);
    if (old.expiresAt && old.expiresAt < stopsAt) stopsAt = old.expiresAt;

    // The owner's membership first, as the replacement's foreign key would: a removal of the owner running
    // now then either finishes before (and the key is gone: 404) or waits for this roll; never a deadlock
    // between the removal's cascade (waiting for this key's row) and this insert (waiting for the membership).
    await tx.$queryRaw`SELECT 1 FROM "Membership" WHERE "workspaceId" = ${principal.workspace.id} AND "userId" = ${old.ownerId} FOR KEY SHARE`;
    const claimed = await tx.apiKey.updateMany({
      where: { id: old.id, rolledAt: null },
      data: { rolledAt: now, stopsAt, requestCountAtRoll: old.requestCount },
    });
    if (claimed.count === 0) {
      if (!(await tx.apiKey.count({ where: { id: old.id } }))) throw notFound("API key");
      throw new AppError("conflict", "This key was already rolled. Roll the key that replaced it instead.");
    }
    const created = await tx.apiKey.create({
      data: {
        workspaceId: principal.workspace.id,
        name: old.name,
        hashedKey: secret.hashedKey,
        partialKey: secret.partialKey,
        kind: old.kind,
        permissions: old.permissions,
        ownerId: old.ownerId,
        createdById: principal.user.isMachine ? null : principal.user.id,
        expiresAt: old.expiresAt,
        ipAllowlist: old.ipAllowlist,
      },
      select: { id: true },
    });
    const replaced = await tx.apiKey.update({ where: { id: old.id }, data: { replacedById: created.id }, select: apiKeySelect });
    const replacement = await tx.apiKey.findUniqueOrThrow({ where: { id: created.id }, select: apiKeySelect });

    const actor = actorOf(principal);
    const workspaceId = principal.workspace.id;
    await recordAuditEvent(tx, {
      workspaceId,
      action: "api_key.rolled",
      actor,
      target: target(old),
      changes: {
        gracePeriod: input.gracePeriod,
        stopsAt: stopsAt.toISOString(),
        replacedBy: created.id,
        partialKey: replacement.partialKey,
      },
      occurredAt: now,
    });
    await recordAuditEvent(tx, {
      workspaceId,
      action: "api_key.created",
      actor,
      target: target(replacement),
      changes: { replaces: old.id, partialKey: replacement.partialKey, ...auditedSettings(replacement) },
      occurredAt: now,
    });
    return { ...toApiKeyView(replacement, now), key: secret.key, replaced: toApiKeyView(replaced, now) };
  });
}

/** "Stop the old key now": ends a rolled key's grace period early; a key that has stopped already stays as it is. */
export async function stopApiKey(principal: Principal, id: string): Promise<ApiKey> {
  return db.$transaction(async (tx) => {
    const now = clockNow();
    const key = await manageableKeyOrThrow(tx, principal, id);
    if (!key.rolledAt) throw new AppError("conflict", "Only a rolled key can be stopped early. Delete the key to stop it now.");
    const { count } = await tx.apiKey.updateMany({ where: { id: key.id, stopsAt: { gt: now } }, data: { stopsAt: now } });
    // Stopped already (a second click, or its grace is over): nothing to do, and nothing to record.
    if (count === 0) return toApiKeyView(key, now);
    // The same instant as the lapse the sweep would record (src/server/audit/lapses.ts), so it finds this one.
    await recordAuditEvent(tx, {
      workspaceId: principal.workspace.id,
      action: "api_key.stopped",
      actor: actorOf(principal),
      target: target(key),
      changes: { stopsAt: { from: key.stopsAt?.toISOString() ?? null, to: now.toISOString() } },
      occurredAt: now,
    });
    const row = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: apiKeySelect });
    return toApiKeyView(row, now);
  });
}

/**
 * "Restrict to what it uses": makes the key a Restricted key holding `input.permissions` (what the caller
 * previewed) or, when absent, the smallest set that keeps every permission its requests of the last 30 days
 * used (advice.ts). Only ever removes permissions; a key that holds nothing unused is left as it is.
 */
export async function restrictApiKey(
  principal: Principal,
  id: string,
  input: RestrictApiKeyInput,
  operations: OperationIndex,
): Promise<ApiKey> {
  return db.$transaction(async (tx) => {
    const now = clockNow();
    const key = await manageableKeyOrThrow(tx, principal, id);
    const held = new Set(key.permissions);
    let keep = input.permissions;
    const { advice, observedSince } = await keyAdvice(tx, key, operations, now);
    if (keep) {
      const notHeld = keep.filter((permission) => !held.has(permission));
      if (notHeld.length > 0) {
        throw new AppError("unprocessable_entity", `This key does not hold ${notHeld.join(", ")}: restricting only removes permissions.`, {
          fieldErrors: { permissions: [`Not held by this key: ${notHeld.join(", ")}. Edit the key to add permissions.`] },
        });
      }
    } else {
      if (advice.unused.length === 0) return toApiKeyView(key, now);
      if (advice.restrictTo === null) {
        throw new AppError(
          "conflict",
          `This key used none of its permissions since ${observedSince.toISOString()}: restricting it would leave it nothing. Delete it instead, or pass "permissions".`,
        );
      }
      keep = advice.restrictTo;
    }
    // Not resolveScopes: restricting only removes, so the caller need not hold what the key keeps (a member's
    // key that manages keys can narrow their own reporting key). What a kept permission needs is kept with it.
    const scopes = smallestScopesFor(keep);
    const extra = scopes.filter((scope) => !held.has(scope));
    if (extra.length > 0) {
      throw new AppError("unprocessable_entity", `Keeping these permissions needs ${extra.join(", ")}, which this key does not hold.`, {
        fieldErrors: { permissions: [`Also needs ${extra.join(", ")}, which this key does not hold.`] },
      });
    }
    if (key.kind === "restricted" && scopes.length === held.size) return toApiKeyView(key, now);

    // Only if nobody changed the key's permissions since it was read: what was previewed is what is applied.
    const { count } = await tx.apiKey.updateMany({
      where: { id: key.id, permissions: { equals: key.permissions }, kind: key.kind },
      data: { kind: "restricted", permissions: scopes },
    });
    if (count === 0)
      throw new AppError("conflict", "This key's permissions changed while it was being restricted. Review them and try again.");
    await recordAuditEvent(tx, {
      workspaceId: principal.workspace.id,
      action: "api_key.restricted",
      actor: actorOf(principal),
      target: target(key),
      changes: {
        ...changedFields({ kind: key.kind, permissions: key.permissions }, { kind: "restricted", permissions: scopes }),
        removed: key.permissions.filter((permission) => !scopes.includes(permission as (typeof scopes)[number])),
        observedSince: observedSince.toISOString(),
      },
      occurredAt: now,
    });
    const row = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: apiKeySelect });
    return toApiKeyView(row, now);
  });
}

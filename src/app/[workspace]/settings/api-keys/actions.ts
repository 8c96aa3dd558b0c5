"use server";

import { revalidatePath } from "next/cache";
import {
  createApiKeyOperation,
  deleteApiKeyOperation,
  restrictApiKeyOperation,
  rollApiKeyOperation,
  stopApiKeyOperation,
  updateApiKeyOperation,
} from "@/server/api-keys/operations";
import { workspaceAction } from "@/server/http/action";

// The dialogs send the API's own input (src/app/[workspace]/settings/api-keys/shared.ts builds it); Server
// Actions are public endpoints, so every argument is parsed by the operation, which also authorises.

function refresh(slug: string, id?: string) {
  revalidatePath(`/${slug}/settings/api-keys`);
  if (id) revalidatePath(`/${slug}/settings/api-keys/${id}`);
}

/** Creates a key; the result carries the secret, the only time it is ever sent. */
export async function createApiKeyAction(slug: string, body: unknown) {
  const result = await workspaceAction(slug, createApiKeyOperation, { body });
  if (result.ok) refresh(slug);
  return result;
}

export async function updateApiKeyAction(slug: string, id: string, body: unknown) {
  const result = await workspaceAction(slug, updateApiKeyOperation, { params: { id }, body });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteApiKeyAction(slug: string, id: string) {
  const result = await workspaceAction(slug, deleteApiKeyOperation, { params: { id } });
  if (result.ok) refresh(slug);
  return result;
}

/** Rolls a key (body: `{ gracePeriod }`); the result carries the new secret, once, and the old key as `replaced`. */
export async function rollApiKeyAction(slug: string, id: string, body: unknown) {
  const result = await workspaceAction(slug, rollApiKeyOperation, { params: { id }, body });
  if (result.ok) refresh(slug);
  return result;
}

/** "Stop the old key now": ends a rolled key's grace period at once. */
export async function stopApiKeyAction(slug: string, id: string) {
  const result = await workspaceAction(slug, stopApiKeyOperation, { params: { id } });
  if (result.ok) refresh(slug);
  return result;
}

/**
 * "Restrict to what it uses", from the key's page: keeps `permissions`, the set its usage advice previewed
 * (the operation refuses one the key does not hold, and a key whose permissions changed meanwhile).
 */
export async function restrictApiKeyAction(slug: string, id: string, permissions: unknown) {
  const result = await workspaceAction(slug, restrictApiKeyOperation, { params: { id }, body: { permissions } });
  if (result.ok) refresh(slug, id);
  return result;
}

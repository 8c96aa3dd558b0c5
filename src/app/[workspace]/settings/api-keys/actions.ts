"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createApiKey } from "@/server/api-keys/create-api-key";
import { deleteApiKey, updateApiKey } from "@/server/api-keys/manage-api-key";
import { apiKeyIdSchema, createApiKeySchema, updateApiKeySchema } from "@/server/api-keys/schemas";
import { KEY_KINDS, KEY_RESOURCES, scopesForKind, type KeyResource, type Permission } from "@/server/auth/permissions";
import { workspaceAction } from "@/server/http/action";
import { AppError } from "@/server/http/errors";
import { EXPIRY_CHOICES, type CreateKeyFormInput, type UpdateKeyFormInput } from "./shared";

// The dialogs send the picker's shape (kind + per-resource access + an expiry choice). Server Actions are public
// endpoints, so the parameter types are a promise of nothing: every input is parsed here, turned into the
// service's input and parsed again by the service's own schema; the service authorises.

const RESOURCE_IDS = KEY_RESOURCES.map((resource) => resource.id) as [KeyResource, ...KeyResource[]];

const accessSchema = z
  .partialRecord(z.enum(RESOURCE_IDS), z.enum(["none", "read", "write"]))
  .superRefine((access, context) => {
    for (const resource of KEY_RESOURCES) {
      if (access[resource.id] === "write" && !(resource.actions as readonly string[]).includes("write")) {
        context.addIssue({ code: "custom", message: `${resource.label} is read-only.` });
      }
    }
  });

const kindSchema = z.enum(KEY_KINDS);

const expiryChoiceSchema = z.enum(EXPIRY_CHOICES.map((choice) => choice.value) as [string, ...string[]]);

const createFormSchema = z.strictObject({
  name: z.string(),
  kind: kindSchema,
  access: accessSchema.optional(),
  owner: z.enum(["you", "machine"]),
  expiry: expiryChoiceSchema.default("never"),
  expiryDate: z.string().max(32).optional(),
});

const updateFormSchema = z.strictObject({
  name: z.string().optional(),
  kind: kindSchema.optional(),
  access: accessSchema.optional(),
  // Absent: the expiry stays as it is.
  expiry: expiryChoiceSchema.optional(),
  expiryDate: z.string().max(32).optional(),
});

const DAY_MS = 86_400_000;

function permissionsFor(kind: string | undefined, access: z.infer<typeof accessSchema> | undefined): Permission[] | undefined {
  return kind === "restricted" ? scopesForKind("restricted", access ?? {}) : undefined;
}

function expiresAtFor(expiry: string, expiryDate: string | undefined): string | null {
  if (expiry === "never") return null;
  if (expiry !== "custom") return new Date(Date.now() + Number(expiry) * DAY_MS).toISOString();
  if (!expiryDate || !/^\d{4}-\d{2}-\d{2}$/.test(expiryDate)) {
    throw new AppError("unprocessable_entity", "Choose an expiration date.", { fieldErrors: { expiresAt: ["Choose a date."] } });
  }
  // The key works through the whole chosen day (UTC).
  return `${expiryDate}T23:59:59.999Z`;
}

function refresh(slug: string) {
  revalidatePath(`/${slug}/settings/api-keys`);
}

/** Creates a key; the result carries the secret, the only time it is ever sent. */
export async function createApiKeyAction(slug: string, input: CreateKeyFormInput) {
  const result = await workspaceAction(slug, async (principal) => {
    const form = createFormSchema.parse(input);
    const data = createApiKeySchema.parse({
      name: form.name,
      kind: form.kind,
      permissions: permissionsFor(form.kind, form.access),
      owner: form.owner,
      expiresAt: expiresAtFor(form.expiry, form.expiryDate),
    });
    return createApiKey(principal, data);
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function updateApiKeyAction(slug: string, id: string, input: UpdateKeyFormInput) {
  const result = await workspaceAction(slug, async (principal) => {
    const keyId = apiKeyIdSchema.parse(id);
    const form = updateFormSchema.parse(input);
    const data = updateApiKeySchema.parse({
      name: form.name,
      kind: form.kind,
      permissions: permissionsFor(form.kind, form.access),
      expiresAt: form.expiry === undefined ? undefined : expiresAtFor(form.expiry, form.expiryDate),
    });
    return updateApiKey(principal, keyId, data);
  });
  if (result.ok) refresh(slug);
  return result;
}

export async function deleteApiKeyAction(slug: string, id: string) {
  const result = await workspaceAction(slug, (principal) => deleteApiKey(principal, apiKeyIdSchema.parse(id)));
  if (result.ok) refresh(slug);
  return result;
}

"use server";

import { redirect } from "next/navigation";
import { requireSessionUser } from "@/server/auth/session";
import { formField, runAction, type ActionResult } from "@/server/http/action";
import { createWorkspace } from "@/server/workspaces/create-workspace";
import { createWorkspaceSchema } from "@/server/workspaces/schemas";

export async function createWorkspaceAction(_previous: ActionResult<unknown> | null, form: unknown) {
  const result = await runAction(async () => {
    const { user } = await requireSessionUser();
    const slug = String(formField(form, "slug") ?? "").trim();
    const input = createWorkspaceSchema.parse({ name: formField(form, "name"), slug: slug || undefined });
    return createWorkspace(user.id, input);
  });
  if (result.ok) redirect(`/${result.data.slug}`);
  return result;
}

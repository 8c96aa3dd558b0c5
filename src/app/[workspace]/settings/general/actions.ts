"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { formField, workspaceAction, type ActionResult } from "@/server/http/action";
import { updateWorkspaceOperation } from "@/server/workspaces/operations";

/** Settings → General: PATCH /api/v1/workspaces/{slug} with the form's fields as its body. */
export async function updateWorkspaceAction(slug: string, _previous: ActionResult<unknown> | null, form: unknown) {
  const body = { name: formField(form, "name"), slug: formField(form, "slug") };
  const result = await workspaceAction(slug, updateWorkspaceOperation, { params: { idOrSlug: slug }, body });
  if (result.ok) {
    revalidatePath("/", "layout");
    if (result.data.slug !== slug) redirect(`/${result.data.slug}/settings/general?saved=1`);
  }
  return result;
}

"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { workspaceAction, type ActionResult } from "@/server/http/action";
import { updateWorkspaceSchema } from "@/server/workspaces/schemas";
import { updateWorkspace } from "@/server/workspaces/update-workspace";

export async function updateWorkspaceAction(slug: string, _previous: ActionResult<unknown> | null, form: FormData) {
  const result = await workspaceAction(slug, async (principal) => {
    const input = updateWorkspaceSchema.parse({ name: form.get("name") ?? undefined, slug: form.get("slug") ?? undefined });
    return updateWorkspace(principal, input);
  });
  if (result.ok) {
    revalidatePath("/", "layout");
    if (result.data.slug !== slug) redirect(`/${result.data.slug}/settings/general?saved=1`);
  }
  return result;
}

"use server";

import { revalidatePath } from "next/cache";
import { verifyDomainOperation } from "@/server/domains/operations";
import { workspaceAction } from "@/server/http/action";

/** The Domains page's Verify: POST /api/v1/domains/{id}/verify through the browser door. */
export async function verifyDomainAction(slug: string, id: string) {
  const result = await workspaceAction(slug, verifyDomainOperation, { params: { id } });
  if (result.ok) revalidatePath(`/${slug}/domains`);
  return result;
}

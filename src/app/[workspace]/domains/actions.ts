"use server";

import { revalidatePath } from "next/cache";
import { idSchema } from "@/server/api/common-schemas";
import { verifyDomain } from "@/server/domains/verify-domain";
import { workspaceAction } from "@/server/http/action";

/** The Domains page's Verify: the same service as POST /api/v1/domains/{id}/verify, which authorises. */
export async function verifyDomainAction(slug: string, id: string) {
  const result = await workspaceAction(slug, async (principal) => {
    const domain = await verifyDomain(principal, idSchema.parse(id));
    return { status: domain.status, check: domain.check };
  });
  if (result.ok) revalidatePath(`/${slug}/domains`);
  return result;
}

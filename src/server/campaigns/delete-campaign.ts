import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";

/** Deletes a campaign with its tag links and events (foreign keys cascade). */
export async function deleteCampaign(principal: Principal, id: string): Promise<void> {
  const { count } = await db.campaign.deleteMany({ where: { id, workspaceId: principal.workspace.id } });
  if (count === 0) throw notFound("Campaign");
}

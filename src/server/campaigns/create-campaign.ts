import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { replaceCampaignTagsOrThrow } from "./manage-campaign-tags";
import type { CreateCampaignInput } from "./schemas";
import { campaignViewOrThrow } from "./serialize";
import { applyScheduleChange, NEW_CAMPAIGN } from "./transitions";
import type { Campaign } from "@/server/campaigns/schemas";

/** Creates a campaign (a draft unless told otherwise) with its tags, in one transaction. */
export async function createCampaign(principal: Principal, input: CreateCampaignInput): Promise<Campaign> {
  const workspaceId = principal.workspace.id;
  const schedule = applyScheduleChange(NEW_CAMPAIGN, { status: input.status, scheduledAt: input.scheduledAt });
  return db.$transaction(async (tx) => {
    const { id } = await tx.campaign.create({
      data: { workspaceId, name: input.name, subject: input.subject, ...schedule },
      select: { id: true },
    });
    if (input.tagIds?.length) await replaceCampaignTagsOrThrow(tx, workspaceId, id, input.tagIds);
    return campaignViewOrThrow(tx, workspaceId, id);
  });
}

import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db, type Tx } from "@/server/db";
import { AppError, notFound } from "@/server/http/errors";
import { replaceCampaignTagsOrThrow } from "./manage-campaign-tags";
import type { UpdateCampaignInput } from "./schemas";
import { campaignViewOrThrow } from "./serialize";
import { applyScheduleChange } from "./transitions";
import type { Campaign } from "@/server/campaigns/schemas";

const MAX_ATTEMPTS = 3;

/**
 * Applies the change only if the status and schedule are still the ones the transition was decided on. When
 * a concurrent request changed them first (say, two "send"s at once), the update matches no row and the
 * change is decided again on what that request left (each statement reads the latest committed row), so
 * the answer is the one the requests would get one after the other, and a campaign is never sent twice.
 */
async function applyChange(tx: Tx, workspaceId: string, id: string, input: UpdateCampaignInput): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await tx.campaign.findFirst({ where: { id, workspaceId }, select: { status: true, scheduledAt: true, sentAt: true } });
    if (!current) throw notFound("Campaign");
    const schedule = applyScheduleChange(current, { status: input.status, scheduledAt: input.scheduledAt });
    const { count } = await tx.campaign.updateMany({
      where: { id, workspaceId, status: current.status, scheduledAt: current.scheduledAt },
      data: { name: input.name, subject: input.subject, ...schedule },
    });
    if (count) return;
  }
  throw new AppError("conflict", "The campaign is being changed by other requests. Fetch it and try again.");
}

/** Changes a campaign's fields, status (see transitions.ts) and tag set, all or nothing. */
export async function updateCampaign(principal: Principal, id: string, input: UpdateCampaignInput): Promise<Campaign> {
  const workspaceId = principal.workspace.id;
  return db.$transaction(async (tx) => {
    await applyChange(tx, workspaceId, id, input);
    if (input.tagIds) await replaceCampaignTagsOrThrow(tx, workspaceId, id, input.tagIds);
    return campaignViewOrThrow(tx, workspaceId, id);
  });
}

import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { AppError, notFound } from "@/server/http/errors";
import { isForeignKeyViolation } from "@/server/prisma-errors";
import type { RecordCampaignEventsInput } from "./schemas";

/**
 * Records a batch of events for analytics, all or none: the batch was validated as a whole before this
 * runs, and one INSERT writes it. A draft has not gone anywhere yet, so it has nothing to report.
 */
export async function recordCampaignEvents(principal: Principal, campaignId: string, input: RecordCampaignEventsInput) {
  const workspaceId = principal.workspace.id;
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, workspaceId }, select: { status: true } });
  if (!campaign) throw notFound("Campaign");
  if (campaign.status === "draft") {
    throw new AppError("conflict", "This campaign is a draft: it has not been scheduled or sent, so it has no events to record.");
  }
  try {
    const { count } = await db.campaignEvent.createMany({
      data: input.events.map((event) => ({ workspaceId, campaignId, type: event.type, occurredAt: event.occurredAt })),
    });
    return { recorded: count };
  } catch (error) {
    // Deleted between the read and the insert.
    if (isForeignKeyViolation(error)) throw notFound("Campaign");
    throw error;
  }
}

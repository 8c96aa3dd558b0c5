import "server-only";
import { isForeignKeyViolation } from "@/server/prisma-errors";
import { db, type Tx } from "@/server/db";
import type { Principal } from "@/server/auth/principal";
import { AppError, notFound } from "@/server/http/errors";
import { MAX_TAGS_PER_CAMPAIGN } from "./schemas";
import { campaignViewOrThrow } from "./serialize";
import type { Campaign } from "@/server/campaigns/schemas";

async function campaignIdOrThrow(tx: Tx, workspaceId: string, id: string): Promise<void> {
  const campaign = await tx.campaign.findFirst({ where: { id, workspaceId }, select: { id: true } });
  if (!campaign) throw notFound("Campaign");
}

/**
 * Makes `tagIds` the campaign's tag set. Every id must be a tag of the same workspace; one that is not (unknown,
 * or another workspace's) is a 404 exactly like an unknown id, and nothing is attached.
 */
export async function replaceCampaignTagsOrThrow(tx: Tx, workspaceId: string, campaignId: string, tagIds: string[]): Promise<void> {
  const found = await tx.tag.count({ where: { workspaceId, id: { in: tagIds } } });
  if (found !== tagIds.length) throw notFound("Tag");
  await tx.campaignTag.deleteMany({ where: { workspaceId, campaignId, tagId: { notIn: tagIds } } });
  try {
    await tx.campaignTag.createMany({ data: tagIds.map((tagId) => ({ workspaceId, campaignId, tagId })), skipDuplicates: true });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw notFound("Tag");
    throw error;
  }
}

/** Attaches a tag of the workspace; attaching it again changes nothing (PUT is idempotent). */
export async function attachCampaignTag(principal: Principal, campaignId: string, tagId: string): Promise<Campaign> {
  const workspaceId = principal.workspace.id;
  return db.$transaction(async (tx) => {
    await campaignIdOrThrow(tx, workspaceId, campaignId);
    const tag = await tx.tag.findFirst({ where: { id: tagId, workspaceId }, select: { id: true } });
    if (!tag) throw notFound("Tag");
    if ((await tx.campaignTag.count({ where: { workspaceId, campaignId, NOT: { tagId } } })) >= MAX_TAGS_PER_CAMPAIGN) {
      throw new AppError("conflict", `A campaign carries at most ${MAX_TAGS_PER_CAMPAIGN} tags. Detach one first.`);
    }
    try {
      const { count } = await tx.campaignTag.createMany({ data: [{ workspaceId, campaignId, tagId }], skipDuplicates: true });
      if (count) await tx.campaign.updateMany({ where: { id: campaignId, workspaceId }, data: { updatedAt: new Date() } });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw notFound();
      throw error;
    }
    return campaignViewOrThrow(tx, workspaceId, campaignId);
  });
}

/** Detaches a tag; one that is not attached (unknown, or another workspace's) is a 404. */
export async function detachCampaignTag(principal: Principal, campaignId: string, tagId: string): Promise<void> {
  const workspaceId = principal.workspace.id;
  await db.$transaction(async (tx) => {
    await campaignIdOrThrow(tx, workspaceId, campaignId);
    const { count } = await tx.campaignTag.deleteMany({ where: { workspaceId, campaignId, tagId } });
    if (count === 0) throw new AppError("not_found", "This tag is not attached to the campaign.");
    await tx.campaign.updateMany({ where: { id: campaignId, workspaceId }, data: { updatedAt: new Date() } });
  });
}

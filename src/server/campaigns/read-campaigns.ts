import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { afterCursor, pageOrder, toPage } from "@/server/api/pagination";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { likeText } from "@/server/like-text";
import { notFound } from "@/server/http/errors";
import type { ListCampaignsQuery } from "./schemas";
import { campaignSelect, toCampaignView } from "./serialize";
import type { Campaign } from "@/server/campaigns/schemas";

/**
 * A page of the workspace's campaigns, newest first, in (createdAt desc, id desc) order: the
 * (workspaceId, createdAt, id) and (workspaceId, status, createdAt, id) indexes serve it, and rows created
 * while a client pages land before its cursor, so they never shift the pages it has not read yet.
 */
export async function listCampaigns(principal: Principal, query: ListCampaignsQuery) {
  const workspaceId = principal.workspace.id;
  const where: Prisma.CampaignWhereInput = {
    workspaceId,
    status: query.status,
    // An unknown tag, or another workspace's, simply matches nothing.
    ...(query.tagId ? { tags: { some: { workspaceId, tagId: query.tagId } } } : {}),
    ...(query.q ? { name: { contains: likeText(query.q), mode: "insensitive" } } : {}),
    AND: [afterCursor(query.cursor)],
  };
  const rows = await db.campaign.findMany({ where, orderBy: pageOrder, take: query.limit + 1, select: campaignSelect });
  return toPage(rows, query.limit, toCampaignView);
}

export async function getCampaign(principal: Principal, id: string): Promise<Campaign> {
  const row = await db.campaign.findFirst({ where: { id, workspaceId: principal.workspace.id }, select: campaignSelect });
  if (!row) throw notFound("Campaign");
  return toCampaignView(row);
}

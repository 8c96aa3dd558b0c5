import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { notFound } from "@/server/http/errors";
import type { Campaign } from "@/server/campaigns/schemas";

/** What any read of a campaign selects, tags included (by name, so the order is stable). */
export const campaignSelect = {
  id: true,
  name: true,
  subject: true,
  status: true,
  scheduledAt: true,
  sentAt: true,
  createdAt: true,
  updatedAt: true,
  tags: { select: { tag: { select: { id: true, name: true, color: true } } }, orderBy: { tag: { name: "asc" } } },
} satisfies Prisma.CampaignSelect;

type CampaignRow = Prisma.CampaignGetPayload<{ select: typeof campaignSelect }>;

export function toCampaignView(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    status: row.status,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    sentAt: row.sentAt?.toISOString() ?? null,
    tags: row.tags.map(({ tag }) => tag),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The campaign `id` of the workspace, as the API shows it; another workspace's id is not found. */
export async function campaignViewOrThrow(tx: Tx, workspaceId: string, id: string): Promise<Campaign> {
  const row = await tx.campaign.findFirst({ where: { id, workspaceId }, select: campaignSelect });
  if (!row) throw notFound("Campaign");
  return toCampaignView(row);
}

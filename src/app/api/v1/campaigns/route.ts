// GET /api/v1/campaigns – list the workspace's campaigns, a page at a time, filtered by status, tag or name
// POST /api/v1/campaigns – create a campaign (a draft unless told otherwise)
import { handle } from "@/server/api/handle";
import { createCampaign } from "@/server/campaigns/create-campaign";
import { createCampaignOperation, listCampaignsOperation } from "@/server/campaigns/operations";
import { listCampaigns } from "@/server/campaigns/read-campaigns";

export const GET = handle(listCampaignsOperation, ({ principal, query }) => listCampaigns(principal, query));

export const POST = handle(createCampaignOperation, ({ principal, body }) => createCampaign(principal, body));

// GET /api/v1/campaigns – list the workspace's campaigns, a page at a time, filtered by status, tag or name
// POST /api/v1/campaigns – create a campaign (a draft unless told otherwise)
import { handle } from "@/server/api/handle";
import { createCampaignOperation, listCampaignsOperation } from "@/server/campaigns/operations";

export const GET = handle(listCampaignsOperation);

export const POST = handle(createCampaignOperation);

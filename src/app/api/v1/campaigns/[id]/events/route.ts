// POST /api/v1/campaigns/{id}/events – record a batch of sent / opened / clicked events for the analytics
import { handle } from "@/server/api/handle";
import { recordCampaignEventsOperation } from "@/server/campaigns/operations";

export const POST = handle(recordCampaignEventsOperation);

// POST /api/v1/campaigns/{id}/events – record a batch of sent / opened / clicked events for the analytics
import { handle } from "@/server/api/handle";
import { recordCampaignEventsOperation } from "@/server/campaigns/operations";
import { recordCampaignEvents } from "@/server/campaigns/record-campaign-events";

export const POST = handle(recordCampaignEventsOperation, ({ principal, params, body }) => recordCampaignEvents(principal, params.id, body));

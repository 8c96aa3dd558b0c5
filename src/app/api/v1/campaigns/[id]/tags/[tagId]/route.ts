// PUT /api/v1/campaigns/{id}/tags/{tagId} – attach a tag of the workspace to the campaign (idempotent)
// DELETE /api/v1/campaigns/{id}/tags/{tagId} – detach it
import { handle } from "@/server/api/handle";
import { attachCampaignTagOperation, detachCampaignTagOperation } from "@/server/campaigns/operations";

export const PUT = handle(attachCampaignTagOperation);

export const DELETE = handle(detachCampaignTagOperation);

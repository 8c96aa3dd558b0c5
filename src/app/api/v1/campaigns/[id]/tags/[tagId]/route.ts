// PUT /api/v1/campaigns/{id}/tags/{tagId} – attach a tag of the workspace to the campaign (idempotent)
// DELETE /api/v1/campaigns/{id}/tags/{tagId} – detach it
import { handle } from "@/server/api/handle";
import { attachCampaignTag, detachCampaignTag } from "@/server/campaigns/manage-campaign-tags";
import { attachCampaignTagOperation, detachCampaignTagOperation } from "@/server/campaigns/operations";

export const PUT = handle(attachCampaignTagOperation, ({ principal, params }) => attachCampaignTag(principal, params.id, params.tagId));

export const DELETE = handle(detachCampaignTagOperation, ({ principal, params }) => detachCampaignTag(principal, params.id, params.tagId));

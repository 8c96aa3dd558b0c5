// GET /api/v1/campaigns/{id} – one campaign with its tags
// PATCH /api/v1/campaigns/{id} – change its fields, status, schedule or tag set
// DELETE /api/v1/campaigns/{id} – delete it with its events
import { handle } from "@/server/api/handle";
import { deleteCampaignOperation, getCampaignOperation, updateCampaignOperation } from "@/server/campaigns/operations";

export const GET = handle(getCampaignOperation);

export const PATCH = handle(updateCampaignOperation);

export const DELETE = handle(deleteCampaignOperation);

// GET /api/v1/campaigns/{id} – one campaign with its tags
// PATCH /api/v1/campaigns/{id} – change its fields, status, schedule or tag set
// DELETE /api/v1/campaigns/{id} – delete it with its events
import { handle } from "@/server/api/handle";
import { deleteCampaign } from "@/server/campaigns/delete-campaign";
import { deleteCampaignOperation, getCampaignOperation, updateCampaignOperation } from "@/server/campaigns/operations";
import { getCampaign } from "@/server/campaigns/read-campaigns";
import { updateCampaign } from "@/server/campaigns/update-campaign";

export const GET = handle(getCampaignOperation, ({ principal, params }) => getCampaign(principal, params.id));

export const PATCH = handle(updateCampaignOperation, ({ principal, params, body }) => updateCampaign(principal, params.id, body));

export const DELETE = handle(deleteCampaignOperation, ({ principal, params }) => deleteCampaign(principal, params.id));

import { z } from "zod";
import { idParams } from "@/server/api/common-schemas";
import { defineOperation } from "@/server/api/operation";
import { route } from "@/server/api/routes";
import { pageSchema } from "@/server/api/pagination";
import { createCampaign } from "@/server/campaigns/create-campaign";
import { deleteCampaign } from "@/server/campaigns/delete-campaign";
import { attachCampaignTag, detachCampaignTag } from "@/server/campaigns/manage-campaign-tags";
import { getCampaign, listCampaigns } from "@/server/campaigns/read-campaigns";
import { recordCampaignEvents } from "@/server/campaigns/record-campaign-events";
import { updateCampaign } from "@/server/campaigns/update-campaign";
import {
  campaignTagParams,
  createCampaignSchema,
  listCampaignsQuerySchema,
  MAX_EVENTS_PER_REQUEST,
  recordCampaignEventsSchema,
  updateCampaignSchema,
  campaignSchema,
} from "./schemas";

const exampleCampaign = {
  id: "cm3k2j4l50003abcd1234efgh",
  name: "November newsletter",
  subject: "What's new in November",
  status: "scheduled",
  scheduledAt: "2027-03-01T09:00:00.000Z",
  sentAt: null,
  tags: [{ id: "cm3k2j4l50004abcd1234efgh", name: "Newsletter", color: "#4f46e5" }],
  createdAt: "2026-11-01T09:30:00.000Z",
  updatedAt: "2026-11-02T14:05:00.000Z",
};

// Relative to now: an event example must lie within the window the API accepts.
const exampleEventTime = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();

const campaignErrors = [404, 409, 413, 415, 422] as const;

export const listCampaignsOperation = defineOperation({
  ...route("listCampaigns"),
  tag: "Campaigns",
  summary: "List campaigns",
  description:
    "The workspace's campaigns, newest first, a page at a time: pass `nextCursor` as `cursor` for the next page. Filter by `status`, `tagId` or a case-insensitive search `q` in the name.",
  permission: "campaigns.read",
  query: listCampaignsQuerySchema,
  status: 200,
  errors: [422],
  response: pageSchema(campaignSchema),
  example: { response: { data: [exampleCampaign], nextCursor: "MjAyNi0xMS0wMVQwOTozMDowMC4wMDBafGNtM2syajRsNTAwMDNhYmNkMTIzNGVmZ2g" } },
  run: ({ principal, query }) => listCampaigns(principal, query),
});

export const createCampaignOperation = defineOperation({
  ...route("createCampaign"),
  tag: "Campaigns",
  summary: "Create a campaign",
  description:
    'A draft unless `status` says otherwise: "scheduled" needs a future `scheduledAt`; "sent" records it as sent now. `tagIds` must be tags of this workspace.',
  permission: "campaigns.write",
  body: createCampaignSchema,
  status: 201,
  errors: [404, 413, 415, 422],
  response: campaignSchema,
  example: {
    request: {
      name: exampleCampaign.name,
      subject: exampleCampaign.subject,
      status: "scheduled",
      scheduledAt: "2027-03-01T09:00:00Z",
      tagIds: [exampleCampaign.tags[0]!.id],
    },
    response: { ...exampleCampaign, updatedAt: exampleCampaign.createdAt },
  },
  run: ({ principal, body }) => createCampaign(principal, body),
});

export const getCampaignOperation = defineOperation({
  ...route("getCampaign"),
  tag: "Campaigns",
  summary: "Get a campaign",
  permission: "campaigns.read",
  params: idParams,
  status: 200,
  errors: [404],
  response: campaignSchema,
  example: { response: exampleCampaign },
  run: ({ principal, params }) => getCampaign(principal, params.id),
});

export const updateCampaignOperation = defineOperation({
  ...route("updateCampaign"),
  tag: "Campaigns",
  summary: "Change a campaign",
  description:
    "Send only what changes. Status: draft → scheduled (with a future `scheduledAt`) or sent; scheduled → draft (clears `scheduledAt`) or sent; a sent campaign's status and schedule can no longer change (409). `tagIds` replaces the whole set.",
  permission: "campaigns.write",
  params: idParams,
  body: updateCampaignSchema,
  status: 200,
  errors: campaignErrors,
  response: campaignSchema,
  example: {
    request: { status: "sent" },
    response: { ...exampleCampaign, status: "sent", sentAt: "2027-03-01T09:00:04.000Z", updatedAt: "2027-03-01T09:00:04.000Z" },
  },
  run: ({ principal, params, body }) => updateCampaign(principal, params.id, body),
});

export const deleteCampaignOperation = defineOperation({
  ...route("deleteCampaign"),
  tag: "Campaigns",
  summary: "Delete a campaign",
  description: "Deletes it with its events, which leave the analytics with it.",
  permission: "campaigns.write",
  params: idParams,
  status: 204,
  errors: [404],
  run: ({ principal, params }) => deleteCampaign(principal, params.id),
});

export const attachCampaignTagOperation = defineOperation({
  ...route("attachCampaignTag"),
  tag: "Campaigns",
  summary: "Attach a tag to a campaign",
  description: "Idempotent: attaching a tag that is already attached changes nothing. The tag must be one of this workspace.",
  permission: "campaigns.write",
  params: campaignTagParams,
  status: 200,
  errors: [404, 409],
  response: campaignSchema,
  example: { response: exampleCampaign },
  run: ({ principal, params }) => attachCampaignTag(principal, params.id, params.tagId),
});

export const detachCampaignTagOperation = defineOperation({
  ...route("detachCampaignTag"),
  tag: "Campaigns",
  summary: "Detach a tag from a campaign",
  description: "A tag that is not attached answers 404.",
  permission: "campaigns.write",
  params: campaignTagParams,
  status: 204,
  errors: [404],
  run: ({ principal, params }) => detachCampaignTag(principal, params.id, params.tagId),
});

export const recordCampaignEventsOperation = defineOperation({
  ...route("recordCampaignEvents"),
  tag: "Campaigns",
  summary: "Record campaign events",
  description: `Records what happened to a scheduled or sent campaign (sent, opened, clicked) for the analytics. 1 to ${MAX_EVENTS_PER_REQUEST} events per request, all or none: one invalid event refuses the batch, naming it in \`errors\` (e.g. \`events.3.occurredAt\`). A draft answers 409; a body over 256 KiB, 413.`,
  permission: "campaigns.write",
  params: idParams,
  body: recordCampaignEventsSchema,
  // Room for a full batch of 1000 events (about 60 bytes each) with whitespace to spare.
  maxBodyBytes: 256 * 1024,
  status: 201,
  errors: campaignErrors,
  response: z.object({ recorded: z.number().int().min(0).max(MAX_EVENTS_PER_REQUEST).describe("How many events were recorded.") }),
  example: {
    request: {
      events: [
        { type: "opened", occurredAt: exampleEventTime },
        { type: "clicked", occurredAt: exampleEventTime },
      ],
    },
    response: { recorded: 2 },
  },
  run: ({ principal, params, body }) => recordCampaignEvents(principal, params.id, body),
});

import { z } from "zod";
import { idSchema, timestamp } from "@/server/api/common-schemas";
import { paginationQuery } from "@/server/api/pagination";

export const CAMPAIGN_STATUSES = ["draft", "scheduled", "sent"] as const;
export const CAMPAIGN_EVENT_TYPES = ["sent", "opened", "clicked"] as const;

export const MAX_TAGS_PER_REQUEST = 100;
/** A campaign's tags are always answered whole, so their number is bounded (PUT one by one included). */
export const MAX_TAGS_PER_CAMPAIGN = MAX_TAGS_PER_REQUEST;
export const MAX_EVENTS_PER_REQUEST = 1000;
/** Events may be stamped a little ahead of our clock (the sender's clock drifts), never further. */
export const EVENT_MAX_FUTURE_MS = 5 * 60_000;
/** Analytics keeps two years; older events are refused rather than stored and never shown. */
export const EVENT_MAX_AGE_MS = 2 * 365 * 86_400_000;

export const campaignNameSchema = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");
export const campaignSubjectSchema = z.string().trim().min(1, "Enter a subject.").max(200, "Use at most 200 characters.");

export const campaignStatusSchema = z.enum(CAMPAIGN_STATUSES, {
  error: () => `Use one of: ${CAMPAIGN_STATUSES.join(", ")}.`,
});

const dateTimeSchema = timestamp.transform((value) => new Date(value));

const scheduledAtSchema = dateTimeSchema
  .nullable()
  .describe('When a "scheduled" campaign goes out; must be in the future. null (or status "draft") unschedules.');

const tagIdsSchema = z
  .array(idSchema)
  .max(MAX_TAGS_PER_REQUEST, `Attach at most ${MAX_TAGS_PER_REQUEST} tags.`)
  // A set: the same tag twice means it once.
  .transform((ids) => [...new Set(ids)])
  .describe("The campaign's tags (replaces the whole set); each must be a tag of this workspace.");

export const createCampaignSchema = z.strictObject({
  name: campaignNameSchema,
  subject: campaignSubjectSchema,
  status: campaignStatusSchema.default("draft").describe('"draft" (default), "scheduled" (needs scheduledAt) or "sent".'),
  scheduledAt: scheduledAtSchema.optional(),
  tagIds: tagIdsSchema.optional(),
});

export const updateCampaignSchema = z
  .strictObject({
    name: campaignNameSchema.optional(),
    subject: campaignSubjectSchema.optional(),
    status: campaignStatusSchema
      .optional()
      .describe("draft → scheduled (with a future scheduledAt) or sent; scheduled → draft (clears scheduledAt) or sent. Sent is final."),
    scheduledAt: scheduledAtSchema.optional(),
    tagIds: tagIdsSchema.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), "Send at least one field to change.");

export const listCampaignsQuerySchema = z.strictObject({
  ...paginationQuery,
  status: campaignStatusSchema.optional().describe("Only campaigns with this status."),
  tagId: idSchema.optional().describe("Only campaigns with this tag."),
  q: z
    .string()
    .trim()
    .min(1, "Enter a search term.")
    .max(120, "Use at most 120 characters.")
    .optional()
    .describe("Case-insensitive search in the name."),
});

export const campaignTagParams = z.object({ id: idSchema, tagId: idSchema });

const occurredAtSchema = dateTimeSchema
  .refine((date) => date.getTime() <= Date.now() + EVENT_MAX_FUTURE_MS, "Use a time no more than 5 minutes in the future.")
  .refine((date) => date.getTime() >= Date.now() - EVENT_MAX_AGE_MS, "Use a time within the last two years.");

export const recordCampaignEventsSchema = z.strictObject({
  events: z
    .array(
      z.strictObject({
        type: z.enum(CAMPAIGN_EVENT_TYPES, { error: () => `Use one of: ${CAMPAIGN_EVENT_TYPES.join(", ")}.` }),
        occurredAt: occurredAtSchema.describe("When it happened: at most 5 minutes ahead, at most two years ago."),
      }),
    )
    .min(1, "Send at least one event.")
    .max(MAX_EVENTS_PER_REQUEST, `Send at most ${MAX_EVENTS_PER_REQUEST} events per request.`)
    .describe(`1 to ${MAX_EVENTS_PER_REQUEST} events, recorded all or none.`),
});

export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type CreateCampaignInput = z.output<typeof createCampaignSchema>;
export type UpdateCampaignInput = z.output<typeof updateCampaignSchema>;
export type ListCampaignsQuery = z.output<typeof listCampaignsQuerySchema>;
export type RecordCampaignEventsInput = z.output<typeof recordCampaignEventsSchema>;

export const campaignSchema = z
  .object({
    id: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    name: z.string().max(120),
    subject: z.string().max(200),
    status: z.enum(CAMPAIGN_STATUSES),
    scheduledAt: timestamp.nullable().describe('When a "scheduled" campaign goes out; kept after it is sent.'),
    sentAt: timestamp.nullable().describe("Set by the server when the status becomes sent."),
    tags: z
      .array(
        z.object({
          id: z
            .string()
            .max(64)
            .regex(/^[A-Za-z0-9_-]+$/),
          name: z.string().max(50),
          color: z
            .string()
            .max(7)
            .regex(/^#[0-9a-f]{6}$/)
            .describe('"#rrggbb"'),
        }),
      )
      .max(MAX_TAGS_PER_CAMPAIGN)
      .describe("By name."),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("A campaign.");

/** What every answer shows of it, derived from the schema. */
export type Campaign = z.output<typeof campaignSchema>;

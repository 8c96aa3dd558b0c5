import { z } from "zod";
import { timestamp } from "@/server/api/common-schemas";
import { paginationQuery } from "@/server/api/pagination";

export const TAG_NAME_MAX = 50;

/** The colour a tag gets when none is given: a neutral grey. */
export const DEFAULT_TAG_COLOR = "#6b7280";

export const tagNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(TAG_NAME_MAX, `Use at most ${TAG_NAME_MAX} characters.`)
  .describe("1 to 50 characters; unique in the workspace, ignoring case.");

/** "#RGB" or "#RRGGBB" in any case in, always "#rrggbb" out, so equal colours compare equal. */
export const tagColorSchema = z
  .string()
  .trim()
  .max(7, { error: 'Use a hex colour like "#3b82f6" or "#38f".', abort: true })
  // Both cases spelled out, not the /i flag: JSON Schema patterns have no flags, so the document would
  // otherwise say lower case only while the server accepts either.
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'Use a hex colour like "#3b82f6" or "#38f".')
  .transform((color) => {
    const hex = color.slice(1).toLowerCase();
    return `#${hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex}`;
  })
  .describe('A hex colour, "#rrggbb" or "#rgb", in either case; stored and returned as lower-case "#rrggbb".');

export const createTagSchema = z.strictObject({
  name: tagNameSchema,
  color: tagColorSchema.optional().describe(`"#rrggbb" or "#rgb", stored as lower-case "#rrggbb"; ${DEFAULT_TAG_COLOR} when absent.`),
});

export const updateTagSchema = z
  .strictObject({ name: tagNameSchema.optional(), color: tagColorSchema.optional() })
  .refine((input) => input.name !== undefined || input.color !== undefined, "Change the name or the colour.");

export const listTagsQuery = z.strictObject({
  ...paginationQuery,
  q: z
    .string()
    .trim()
    .max(TAG_NAME_MAX, `Use at most ${TAG_NAME_MAX} characters.`)
    .optional()
    .transform((q) => q || undefined)
    .describe("Only tags whose name contains this text, ignoring case."),
});

export type CreateTagInput = z.infer<typeof createTagSchema>;
export type UpdateTagInput = z.infer<typeof updateTagSchema>;
export type ListTagsQuery = z.infer<typeof listTagsQuery>;

export const tagSchema = z
  .object({
    id: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    name: z.string().max(50),
    color: z
      .string()
      .max(7)
      .regex(/^#[0-9a-f]{6}$/)
      .describe('Lower-case "#rrggbb".'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("A tag, attachable to campaigns.");

/** What every answer shows of it, derived from the schema. */
export type Tag = z.output<typeof tagSchema>;

import { z } from "zod";
import { timestamp } from "@/server/api/common-schemas";

// Words that are routes of the app itself, so a workspace can never shadow them.
export const RESERVED_SLUGS = new Set([
  "api",
  "app",
  "admin",
  "new",
  "invite",
  "sign-in",
  "sign-up",
  "sign-out",
  "settings",
  "docs",
  "help",
  "static",
  "public",
  "assets",
  "_next",
  "favicon.ico",
  "robots.txt",
  "login",
  "logout",
  "account",
]);

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters.")
  .max(48, "Use at most 48 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes (not at the start or end).")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "This slug is reserved.");

export const workspaceNameSchema = z.string().trim().min(1, "Enter a name.").max(64, "Use at most 64 characters.");

export const createWorkspaceSchema = z.strictObject({
  name: workspaceNameSchema,
  slug: slugSchema.optional(),
});

export const updateWorkspaceSchema = z
  .strictObject({ name: workspaceNameSchema.optional(), slug: slugSchema.optional() })
  .refine((input) => input.name !== undefined || input.slug !== undefined, "Change the name or the slug.");

export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>;
export type UpdateWorkspaceInput = z.infer<typeof updateWorkspaceSchema>;

/** "Acme Inc." → "acme-inc"; padded when too short to be a valid slug. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return base.length >= 3 ? base : `${base || "workspace"}-team`.replace(/^-/, "");
}

export const workspaceSchema = z
  .object({
    id: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    slug: z
      .string()
      .max(48)
      .regex(/^[a-z0-9-]+$/)
      .describe("Unique across Heyoo; part of the workspace's URLs."),
    name: z.string().max(64),
    createdAt: timestamp,
  })
  .describe("A workspace (organisation).");

/** What every answer shows of it, derived from the schema. */
export type Workspace = z.output<typeof workspaceSchema>;

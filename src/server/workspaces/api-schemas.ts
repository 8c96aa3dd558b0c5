import { z } from "zod";
import { paginationQuery } from "@/server/api/pagination";

/** A workspace named by its id or by its slug, as in the browser's URLs. */
export const workspaceRefParams = z.object({
  idOrSlug: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .describe("The workspace's id or slug."),
});

export const listWorkspacesQuery = z.strictObject({ ...paginationQuery });

export type ListWorkspacesQuery = z.infer<typeof listWorkspacesQuery>;

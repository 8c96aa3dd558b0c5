import { z } from "zod";
import { paginationQuery } from "@/server/api/pagination";
import { hostnameSchema } from "./hostname";

export const DOMAIN_STATUSES = ["pending", "verified", "failed"] as const;

export const VERIFICATION_OUTCOMES = ["verified", "record_not_found", "lookup_failed"] as const;

export const createDomainSchema = z.strictObject({ hostname: hostnameSchema });

/** Changing the hostname starts verification over: the old proof was for another name. */
export const updateDomainSchema = z.strictObject({ hostname: hostnameSchema });

export const listDomainsQuery = z.strictObject({
  ...paginationQuery,
  status: z.enum(DOMAIN_STATUSES).optional().describe("Only domains in this verification state."),
  q: z
    .string()
    .trim()
    .toLowerCase()
    .max(253, "Use at most 253 characters.")
    // Hostnames are stored as ASCII: nothing else can match, and no wildcard reaches the database.
    .regex(/^[a-z0-9.-]*$/, "Search with letters, digits, dots and hyphens.")
    .optional()
    .transform((q) => q || undefined)
    .describe("Only domains whose hostname contains this text."),
});

export type CreateDomainInput = z.infer<typeof createDomainSchema>;
export type UpdateDomainInput = z.infer<typeof updateDomainSchema>;
export type ListDomainsQuery = z.infer<typeof listDomainsQuery>;

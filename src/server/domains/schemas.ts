import { z } from "zod";
import { timestamp } from "@/server/api/common-schemas";
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

export const domainSchema = z
  .object({
    id: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    hostname: z.string().max(253).describe("Lower case, ASCII (punycode for unicode names), no trailing dot."),
    status: z.enum(DOMAIN_STATUSES).describe("pending until checked; verified when the TXT record was found; failed when it was not."),
    verificationRecord: z
      .object({
        type: z.literal("TXT"),
        name: z.string().max(300).describe("Where to publish the record."),
        value: z
          .string()
          .max(100)
          .regex(/^heyoo-verification=[A-Za-z0-9_-]+$/)
          .describe("What to publish."),
      })
      .describe("The DNS record that proves the workspace controls the domain."),
    verifiedAt: timestamp.nullable().describe("When the domain became verified; null unless verified."),
    lastCheckedAt: timestamp.nullable().describe("When the record was last looked up."),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("A sending domain.");

/** What every answer shows of it, derived from the schema. */
export type Domain = z.output<typeof domainSchema>;

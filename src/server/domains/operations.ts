import { z } from "zod";
import { idParams } from "@/server/api/common-schemas";
import { defineOperation } from "@/server/api/operation";
import { route } from "@/server/api/routes";
import { pageSchema } from "@/server/api/pagination";
import { createDomain } from "@/server/domains/create-domain";
import { deleteDomain, updateDomain } from "@/server/domains/manage-domain";
import { getDomain, listDomains } from "@/server/domains/read-domains";
import { verifyDomain } from "@/server/domains/verify-domain";
import { createDomainSchema, listDomainsQuery, updateDomainSchema, VERIFICATION_OUTCOMES, domainSchema } from "./schemas";

const exampleDomain = {
  id: "cm3k2j4l50004abcd1234efgh",
  hostname: "mail.acme.com",
  status: "pending",
  verificationRecord: {
    type: "TXT",
    name: "_heyoo-verification.mail.acme.com",
    value: "heyoo-verification=Jx7Qb2mZt0Lr8VwY2nKc5HsJd1PfGa7E",
  },
  verifiedAt: null,
  lastCheckedAt: null,
  createdAt: "2026-11-01T09:30:00.000Z",
  updatedAt: "2026-11-01T09:30:00.000Z",
};

export const listDomainsOperation = defineOperation({
  ...route("listDomains"),
  tag: "Domains",
  summary: "List domains",
  description: "The workspace's domains, newest first, a page at a time; filter by `status` or by text in the hostname (`q`).",
  permission: "domains.read",
  query: listDomainsQuery,
  status: 200,
  errors: [422],
  response: pageSchema(domainSchema),
  example: { response: { data: [exampleDomain], nextCursor: null } },
  run: ({ principal, query }) => listDomains(principal, query),
});

export const createDomainOperation = defineOperation({
  ...route("createDomain"),
  tag: "Domains",
  summary: "Add a domain",
  description:
    "Adds a domain in the `pending` state. Publish `verificationRecord` in its DNS, then call verify. A hostname already in the workspace is a 409.",
  permission: "domains.write",
  body: createDomainSchema,
  status: 201,
  errors: [409, 413, 415, 422],
  response: domainSchema,
  example: { request: { hostname: "Mail.Acme.com." }, response: exampleDomain },
  run: ({ principal, body }) => createDomain(principal, body),
});

export const getDomainOperation = defineOperation({
  ...route("getDomain"),
  tag: "Domains",
  summary: "Get a domain",
  permission: "domains.read",
  params: idParams,
  status: 200,
  errors: [404],
  response: domainSchema,
  example: { response: exampleDomain },
  run: ({ principal, params }) => getDomain(principal, params.id),
});

export const updateDomainOperation = defineOperation({
  ...route("updateDomain"),
  tag: "Domains",
  summary: "Change a domain's hostname",
  description: "A new hostname starts verification over: status `pending` and a new record value to publish.",
  permission: "domains.write",
  params: idParams,
  body: updateDomainSchema,
  status: 200,
  errors: [404, 409, 413, 415, 422],
  response: domainSchema,
  example: {
    request: { hostname: "news.acme.com" },
    response: {
      ...exampleDomain,
      hostname: "news.acme.com",
      verificationRecord: {
        ...exampleDomain.verificationRecord,
        name: "_heyoo-verification.news.acme.com",
        value: "heyoo-verification=Pq3Rb8mZt0Lr8VwY2nKc5HsJd1PfGa9K",
      },
      updatedAt: "2026-11-02T10:00:00.000Z",
    },
  },
  run: ({ principal, params, body }) => updateDomain(principal, params.id, body),
});

export const deleteDomainOperation = defineOperation({
  ...route("deleteDomain"),
  tag: "Domains",
  summary: "Remove a domain",
  permission: "domains.write",
  params: idParams,
  status: 204,
  errors: [404],
  run: ({ principal, params }) => deleteDomain(principal, params.id),
});

export const verifyDomainOperation = defineOperation({
  ...route("verifyDomain"),
  tag: "Domains",
  summary: "Check a domain's DNS record now",
  description:
    "Looks up the TXT record at `verificationRecord.name` and records the result: `verified` when one carries the value, else `failed` (also when the lookup fails). `check` says what was found.",
  permission: "domains.write",
  params: idParams,
  status: 200,
  errors: [404],
  response: domainSchema.extend({
    check: z
      .object({ outcome: z.enum(VERIFICATION_OUTCOMES), detail: z.string().max(500) })
      .describe("This check's result: verified, record_not_found, or lookup_failed (DNS did not answer)."),
  }),
  example: {
    response: {
      ...exampleDomain,
      status: "verified",
      verifiedAt: "2026-11-01T10:00:00.000Z",
      lastCheckedAt: "2026-11-01T10:00:00.000Z",
      updatedAt: "2026-11-01T10:00:00.000Z",
      check: { outcome: "verified", detail: "Found the TXT record at _heyoo-verification.mail.acme.com." },
    },
  },
  run: ({ principal, params }) => verifyDomain(principal, params.id),
});

// GET /api/v1/domains – list the workspace's domains, newest first, paginated, filtered by status or hostname
// POST /api/v1/domains – add a domain, pending until its TXT record is verified
import { handle } from "@/server/api/handle";
import { createDomain } from "@/server/domains/create-domain";
import { createDomainOperation, listDomainsOperation } from "@/server/domains/operations";
import { listDomains } from "@/server/domains/read-domains";

export const GET = handle(listDomainsOperation, ({ principal, query }) => listDomains(principal, query));

export const POST = handle(createDomainOperation, ({ principal, body }) => createDomain(principal, body));

// GET /api/v1/domains – list the workspace's domains, newest first, paginated, filtered by status or hostname
// POST /api/v1/domains – add a domain, pending until its TXT record is verified
import { handle } from "@/server/api/handle";
import { createDomainOperation, listDomainsOperation } from "@/server/domains/operations";

export const GET = handle(listDomainsOperation);

export const POST = handle(createDomainOperation);

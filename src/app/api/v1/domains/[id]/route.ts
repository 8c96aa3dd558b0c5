// GET /api/v1/domains/{id} – one domain with its verification state and the record to publish
// PATCH /api/v1/domains/{id} – change its hostname, which starts verification over
// DELETE /api/v1/domains/{id} – remove it
import { handle } from "@/server/api/handle";
import { deleteDomain, updateDomain } from "@/server/domains/manage-domain";
import { deleteDomainOperation, getDomainOperation, updateDomainOperation } from "@/server/domains/operations";
import { getDomain } from "@/server/domains/read-domains";

export const GET = handle(getDomainOperation, ({ principal, params }) => getDomain(principal, params.id));

export const PATCH = handle(updateDomainOperation, ({ principal, params, body }) => updateDomain(principal, params.id, body));

export const DELETE = handle(deleteDomainOperation, ({ principal, params }) => deleteDomain(principal, params.id));

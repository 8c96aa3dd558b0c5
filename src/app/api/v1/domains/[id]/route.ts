// GET /api/v1/domains/{id} – one domain with its verification state and the record to publish
// PATCH /api/v1/domains/{id} – change its hostname, which starts verification over
// DELETE /api/v1/domains/{id} – remove it
import { handle } from "@/server/api/handle";
import { deleteDomainOperation, getDomainOperation, updateDomainOperation } from "@/server/domains/operations";

export const GET = handle(getDomainOperation);

export const PATCH = handle(updateDomainOperation);

export const DELETE = handle(deleteDomainOperation);

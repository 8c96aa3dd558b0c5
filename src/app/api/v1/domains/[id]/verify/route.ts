// POST /api/v1/domains/{id}/verify – look the domain's TXT record up now and record verified or failed
import { handle } from "@/server/api/handle";
import { verifyDomainOperation } from "@/server/domains/operations";

export const POST = handle(verifyDomainOperation);

import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { rethrowHostnameTaken } from "./domain-conflict";
import type { CreateDomainInput } from "./schemas";
import { domainSelect, newVerificationValue, toDomainView } from "./serialize";
import type { Domain } from "@/server/domains/schemas";

/** Adds a domain, pending until its TXT record is found by a verification. */
export async function createDomain(principal: Principal, input: CreateDomainInput): Promise<Domain> {
  try {
    const row = await db.domain.create({
      data: { workspaceId: principal.workspace.id, hostname: input.hostname, verificationToken: newVerificationValue() },
      select: domainSelect,
    });
    return toDomainView(row);
  } catch (error) {
    rethrowHostnameTaken(error, input.hostname);
  }
}

import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import { rethrowHostnameTaken } from "./domain-conflict";
import type { UpdateDomainInput } from "./schemas";
import { domainSelect, newVerificationValue, toDomainView } from "./serialize";
import type { Domain } from "@/server/domains/schemas";

/**
 * Changes the hostname. A new name needs its own proof: status back to pending with a new TXT value. The
 * same name (after normalisation) changes nothing.
 */
export async function updateDomain(principal: Principal, id: string, input: UpdateDomainInput): Promise<Domain> {
  const workspaceId = principal.workspace.id;
  try {
    const row = await db.$transaction(async (tx) => {
      const domain = await tx.domain.findFirst({ where: { id, workspaceId }, select: domainSelect });
      if (!domain) throw notFound("Domain");
      if (domain.hostname === input.hostname) return domain;
      return tx.domain.update({
        where: { id: domain.id, workspaceId },
        data: {
          hostname: input.hostname,
          status: "pending",
          verificationToken: newVerificationValue(),
          verifiedAt: null,
          lastCheckedAt: null,
        },
        select: domainSelect,
      });
    });
    return toDomainView(row);
  } catch (error) {
    rethrowHostnameTaken(error, input.hostname);
  }
}

export async function deleteDomain(principal: Principal, id: string): Promise<void> {
  const { count } = await db.domain.deleteMany({ where: { id, workspaceId: principal.workspace.id } });
  if (count === 0) throw notFound("Domain");
}

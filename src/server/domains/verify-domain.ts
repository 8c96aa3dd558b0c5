import "server-only";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { notFound } from "@/server/http/errors";
import { lookupTxt } from "./dns";
import type { VERIFICATION_OUTCOMES } from "./schemas";
import { domainSelect, toDomainView, verificationRecordName } from "./serialize";
import type { Domain } from "@/server/domains/schemas";

export interface VerificationCheck {
  outcome: (typeof VERIFICATION_OUTCOMES)[number];
  detail: string;
}

/** The answers that mean "this name has no such record", as opposed to "DNS could not tell". */
const NO_RECORD = new Set(["ENOTFOUND", "ENODATA"]);

function dnsErrorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : null;
}

async function checkTxtRecord(hostname: string, expected: string): Promise<VerificationCheck> {
  const name = verificationRecordName(hostname);
  const missing = `No TXT record with the value to publish was found at ${name}. DNS changes can take a while to appear; try again later.`;
  try {
    const values = (await lookupTxt(name)).map((chunks) => chunks.join("").trim());
    return values.includes(expected)
      ? { outcome: "verified", detail: `Found the TXT record at ${name}.` }
      : { outcome: "record_not_found", detail: missing };
  } catch (error) {
    const code = dnsErrorCode(error);
    if (code && NO_RECORD.has(code)) return { outcome: "record_not_found", detail: missing };
    // The resolver's own message never reaches the client; its error code (ETIMEOUT, ESERVFAIL, …) may.
    return { outcome: "lookup_failed", detail: `The DNS lookup of ${name} failed${code ? ` (${code})` : ""}. Try again shortly.` };
  }
}

/**
 * Looks the domain's TXT record up and records the result: verified, or failed (record absent or the lookup
 * failed; never a 500). The lookup runs outside any transaction, and its result is written only if the
 * domain still has the value that was looked for, so a rename during the lookup is not overwritten.
 */
export async function verifyDomain(principal: Principal, id: string): Promise<Domain & { check: VerificationCheck }> {
  const workspaceId = principal.workspace.id;
  const domain = await db.domain.findFirst({ where: { id, workspaceId }, select: domainSelect });
  if (!domain) throw notFound("Domain");

  const check = await checkTxtRecord(domain.hostname, domain.verificationToken);
  const now = new Date();
  const verified = check.outcome === "verified";
  await db.domain.updateMany({
    where: { id: domain.id, workspaceId, verificationToken: domain.verificationToken },
    data: {
      status: verified ? "verified" : "failed",
      // When the domain became verified; a domain that is not verified has none.
      verifiedAt: verified ? (domain.verifiedAt ?? now) : null,
      lastCheckedAt: now,
    },
  });

  const row = await db.domain.findFirst({ where: { id: domain.id, workspaceId }, select: domainSelect });
  if (!row) throw notFound("Domain");
  return { ...toDomainView(row), check };
}

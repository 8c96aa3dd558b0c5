import type { Prisma } from "@/generated/prisma/client";
import { randomToken } from "@/server/crypto/tokens";
import type { Domain } from "@/server/domains/schemas";

export const VERIFICATION_RECORD_PREFIX = "_heyoo-verification";
const VERIFICATION_VALUE_PREFIX = "heyoo-verification=";

/** A fresh TXT value to publish: the stored `verificationToken` is the whole value. */
export function newVerificationValue(): string {
  return `${VERIFICATION_VALUE_PREFIX}${randomToken(24)}`;
}

export function verificationRecordName(hostname: string): string {
  return `${VERIFICATION_RECORD_PREFIX}.${hostname}`;
}

export const domainSelect = {
  id: true,
  hostname: true,
  status: true,
  verificationToken: true,
  verifiedAt: true,
  lastCheckedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.DomainSelect;

export type DomainRow = Prisma.DomainGetPayload<{ select: typeof domainSelect }>;

export function toDomainView(row: DomainRow): Domain {
  return {
    id: row.id,
    hostname: row.hostname,
    status: row.status,
    verificationRecord: { type: "TXT", name: verificationRecordName(row.hostname), value: row.verificationToken },
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

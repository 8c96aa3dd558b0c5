import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { Principal } from "@/server/auth/principal";
import type { Tx } from "@/server/db";
import { requestClient } from "@/server/http/request-context";
import type { AuditAction, AuditTargetType } from "./actions";

export type { AuditAction } from "./actions";

// The audit log's one writer. An event is written with the transaction of the change it records, so the change
// and its entry commit together or not at all. Entries name keys by id, name and partial key: never a secret
// (no key, hash, invite token or password). The log is append-only: nothing in the application updates or
// deletes an entry, and a trigger makes the database refuse it (the audit_log_append_only migration).

export type AuditActor =
  | { type: "user"; id: string; name: string }
  | { type: "api_key"; id: string; name: string }
  | { type: "system" }
  | { type: "scanner"; name: "github" | "public_report" };

export interface AuditTarget {
  type: AuditTargetType;
  id: string;
  /** What the target was called then (a key's or person's name); an invite link has none. */
  name: string | null;
}

/** Who a principal is in the log: the person, or the key a request came in with. */
export function actorOf(principal: Principal): AuditActor {
  if (principal.apiKey) return { type: "api_key", id: principal.apiKey.id, name: principal.apiKey.name };
  return { type: "user", id: principal.user.id, name: principal.user.name };
}

/** { field: { from, to } } for the fields whose values differ (compared as JSON). */
type JsonValue = Prisma.InputJsonValue | null;

export function changedFields(
  before: Record<string, JsonValue | undefined>,
  after: Record<string, JsonValue | undefined>,
): Record<string, { from: JsonValue; to: JsonValue }> {
  const changes: Record<string, { from: JsonValue; to: JsonValue }> = {};
  for (const field of Object.keys(after)) {
    if (after[field] === undefined) continue;
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) {
      changes[field] = { from: before[field] ?? null, to: after[field] ?? null };
    }
  }
  return changes;
}

export interface AuditEventInput {
  workspaceId: string;
  action: AuditAction;
  actor: AuditActor;
  target: AuditTarget;
  changes?: Prisma.InputJsonValue;
  occurredAt?: Date;
  /** Defaults to the current request's client (src/server/http/request-context.ts). */
  client?: { ip: string | null; userAgent: string | null };
}

/** Records one event, in the transaction of the change it describes. */
export async function recordAuditEvent(tx: Tx, event: AuditEventInput): Promise<void> {
  await recordAuditEvents(tx, [event]);
}

/**
 * Records `events` in exactly one statement, whatever their number, none included: a caller whose answer must
 * not tell whether anything happened (the public leaked-key report) runs the same statements either way.
 * (Prisma's createMany sends nothing for an empty list.) Ids are made here, as Prisma would make them.
 */
export async function recordAuditEvents(tx: Tx, events: readonly AuditEventInput[]): Promise<void> {
  const rows = events.map((event) => {
    const client = event.client ?? requestClient();
    const { actor } = event;
    return {
      id: `audit_${randomUUID().replaceAll("-", "")}`,
      workspaceId: event.workspaceId,
      action: event.action,
      actorType: actor.type,
      actorId: "id" in actor ? actor.id : null,
      actorName: "name" in actor ? actor.name : null,
      targetType: event.target.type,
      targetId: event.target.id,
      targetName: event.target.name,
      ipAddress: client.ip,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      changes: event.changes ?? null,
      occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    };
  });
  // "occurredAt" is a UTC timestamp without a zone, as Prisma writes it: the offset is stated, then dropped in UTC.
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("id", "workspaceId", "action", "actorType", "actorId", "actorName", "targetType", "targetId",
                              "targetName", "ipAddress", "userAgent", "changes", "occurredAt")
    SELECT r."id", r."workspaceId", r."action", r."actorType"::"AuditActorType", r."actorId", r."actorName", r."targetType",
           r."targetId", r."targetName", r."ipAddress", r."userAgent", NULLIF(r."changes", 'null'::jsonb), r."occurredAt" AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("id" text, "workspaceId" text, "action" text, "actorType" text,
         "actorId" text, "actorName" text, "targetType" text, "targetId" text, "targetName" text, "ipAddress" text,
         "userAgent" text, "changes" jsonb, "occurredAt" timestamptz)`;
}

import { z } from "zod";
import { idSchema, timestamp, TIMESTAMP_MAX_LENGTH } from "@/server/api/common-schemas";
import { paginationQuery } from "@/server/api/pagination";
import { EARLIEST, LATEST } from "@/server/analytics/schemas";
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_TARGET_TYPES } from "./actions";

const DAY_MS = 86_400_000;
const EARLIEST_MS = Date.parse(EARLIEST);
const LATEST_MS = Date.parse(LATEST);
const DATE_FORMAT_MESSAGE = "Use an ISO 8601 date (2026-12-01) or date-time (2026-12-01T09:30:00Z).";

/** The actors without an id, named by their type in the `actor` filter. */
export const ACTORS_WITHOUT_ID = ["system", "scanner"] as const;

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/**
 * A bound of the date range: an ISO 8601 date-time, or a date, which means the whole of that day in UTC (its
 * first millisecond for `from`, its last for `to`), so `from=2026-12-01&to=2026-12-01` is that one day. Only
 * instants the database can compare with (years 1 to 9999, as the analytics range).
 */
function rangeBound(edge: "from" | "to") {
  return (
    z
      .string()
      .max(TIMESTAMP_MAX_LENGTH, DATE_FORMAT_MESSAGE)
      // The shape, for the document; the transform checks the date itself (no 2026-02-30).
      .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?))?$/, DATE_FORMAT_MESSAGE)
      .transform((value, ctx) => {
        let instant: Date;
        if (isoDate.safeParse(value).success) {
          const start = Date.parse(`${value}T00:00:00.000Z`);
          instant = new Date(edge === "from" ? start : start + DAY_MS - 1);
        } else if (isoDateTime.safeParse(value).success) {
          instant = new Date(value);
        } else {
          ctx.addIssue({ code: "custom", message: DATE_FORMAT_MESSAGE });
          return z.NEVER;
        }
        // Written so that an invalid date (NaN) is out of range too.
        if (!(instant.getTime() >= EARLIEST_MS && instant.getTime() <= LATEST_MS)) {
          ctx.addIssue({ code: "custom", message: `Use a date from ${EARLIEST.slice(0, 10)} to ${LATEST.slice(0, 10)}.` });
          return z.NEVER;
        }
        return instant;
      })
  );
}

export const auditLogQuerySchema = z
  .strictObject({
    ...paginationQuery,
    actor: z
      .union([z.enum(ACTORS_WITHOUT_ID), idSchema], { error: () => 'Use a user\'s or API key\'s id, "system" or "scanner".' })
      .optional()
      .describe(
        'Only what this actor did: a user\'s id or an API key\'s id; "system" (expiries, ends of grace periods) or "scanner" (leaked-key reports).',
      ),
    action: z
      .enum(AUDIT_ACTIONS, { error: () => `Use one of: ${AUDIT_ACTIONS.join(", ")}.` })
      .optional()
      .describe("Only events of this kind."),
    target: idSchema.optional().describe("Only events about this API key, person, machine user, invite or workspace (its id)."),
    from: rangeBound("from")
      .optional()
      .describe("Only events at or after this ISO 8601 date-time; a date (2026-12-01) means the start of that day, UTC."),
    to: rangeBound("to")
      .optional()
      .describe("Only events at or before this ISO 8601 date-time; a date (2026-12-01) means the end of that day, UTC."),
  })
  .transform((query, ctx) => {
    if (query.from && query.to && query.to < query.from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: 'Choose a "to" on or after "from".' });
      return z.NEVER;
    }
    return query;
  });

export type AuditLogQuery = z.output<typeof auditLogQuerySchema>;

/** Text as it was recorded, with control characters shown as spaces (see read-audit-log.ts). */
const displayText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/);

const entryId = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const auditEventSchema = z
  .object({
    id: entryId,
    action: z.enum(AUDIT_ACTIONS),
    occurredAt: timestamp.describe("When it happened (for an expiry or the end of a grace period: that moment)."),
    actor: z
      .object({
        type: z
          .enum(AUDIT_ACTOR_TYPES)
          .describe(
            "user: a signed-in person; api_key: a request made with a key; system: the server (a key passing its expiry); scanner: a leaked-key report.",
          ),
        id: entryId.nullable().describe("The user's or key's id; null for the system and the scanner."),
        name: displayText(200).nullable().describe('Their name when it happened; for the scanner "github" or "public_report".'),
      })
      .describe("Who did it."),
    target: z
      .object({
        type: z.enum(AUDIT_TARGET_TYPES),
        id: entryId,
        name: displayText(200).nullable().describe("Its name when it happened; null for an invite link."),
      })
      .describe("What it was done to."),
    ipAddress: z
      .string()
      .max(45)
      .regex(/^[0-9a-f.:]+$/)
      .nullable()
      .describe("The client's address; null when not known (the system, a script)."),
    userAgent: displayText(512).nullable().describe("The client's User-Agent header, as sent (at most 512 characters)."),
    changes: z
      .record(
        z
          .string()
          .max(64)
          .regex(/^[A-Za-z][A-Za-z0-9_]*$/),
        z.unknown(),
      )
      .nullable()
      .describe(
        "What changed, as `{ field: { from, to } }` (e.g. a role, a name, a key's permissions), or the details of the event (a roll's grace period, a leak's URL). Never a secret: keys appear by id, name and partial key (\"hey_…x7Qa\"), invite links by id.",
      ),
  })
  .describe("An entry of the audit log.");

export type AuditEvent = z.output<typeof auditEventSchema>;

/** Who appears in the workspace's log with an id, for the Audit log page's actor filter. */
export const auditActorsSchema = z.array(
  z.object({ id: entryId, type: z.enum(["user", "api_key"]), name: displayText(200).nullable() }).describe("An actor of the audit log."),
);

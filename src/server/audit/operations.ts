import { defineOperation } from "@/server/api/operation";
import { pageSchema } from "@/server/api/pagination";
import { route } from "@/server/api/routes";
import { listAuditActors, listAuditEvents } from "./read-audit-log";
import { auditActorsSchema, auditEventSchema, auditLogQuerySchema } from "./schemas";

const exampleEvent = {
  id: "cm3k2j4l50009abcd1234efgh",
  action: "member.role_changed",
  occurredAt: "2026-12-01T09:30:00.000Z",
  actor: { type: "user", id: "cm3k2j4l50001abcd1234efgh", name: "Ada Lovelace" },
  target: { type: "user", id: "cm3k2j4l50004abcd1234efgh", name: "Grace Hopper" },
  ipAddress: "203.0.113.7",
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  changes: { role: { from: "member", to: "owner" }, email: "grace@example.com" },
};

export const listAuditLogOperation = defineOperation({
  ...route("listAuditLog"),
  tag: "Audit log",
  summary: "List the audit log",
  description:
    "What happened in the workspace, newest first: key events (created, edited, rolled, stopped, deleted, expired, revoked as leaked), machine users created and deleted, invites, people joining, leaving, removed or given another role, and workspace settings changed; who did it, from which address and user agent, and what changed. A page at a time: pass `nextCursor` as `cursor` (with the same filters) for the next page. Entries are never changed or deleted. Expiries and the ends of grace periods appear within a minute, dated when they happened.",
  permission: "auditLog.read",
  query: auditLogQuerySchema,
  status: 200,
  errors: [422],
  response: pageSchema(auditEventSchema),
  example: { response: { data: [exampleEvent], nextCursor: null } },
  run: ({ principal, query }) => listAuditEvents(principal, query),
});

/** The Audit log page's actor filter (no /api/v1 endpoint: the entries carry the same ids). */
export const listAuditActorsOperation = defineOperation({
  id: "listAuditActors",
  permission: "auditLog.read",
  response: auditActorsSchema,
  run: ({ principal }) => listAuditActors(principal),
});

// GET /api/v1/audit-log – what happened in the workspace, who did it, from where, newest first
import { handle } from "@/server/api/handle";
import { listAuditLogOperation } from "@/server/audit/operations";

export const GET = handle(listAuditLogOperation);

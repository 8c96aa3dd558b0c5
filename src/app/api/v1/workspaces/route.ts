// GET /api/v1/workspaces – the workspace the key belongs to, as a one-item list
import { handle } from "@/server/api/handle";
import { listWorkspacesOperation } from "@/server/workspaces/operations";

export const GET = handle(listWorkspacesOperation);

// POST /api/v1/leaked-keys – anyone reports keys they found in public; existing ones are revoked (no account needed)
import { reportLeakedKeys } from "@/server/leaks/endpoints";
import { handlePublic } from "@/server/leaks/handle-public";
import { receiveLeakReport } from "@/server/leaks/report-leaks";

export const POST = handlePublic(reportLeakedKeys, receiveLeakReport);

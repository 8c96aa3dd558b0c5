// GET /api/v1/tags – list the workspace's tags, newest first, paginated, filtered by name
// POST /api/v1/tags – create a tag (name unique in the workspace ignoring case, hex colour)
import { handle } from "@/server/api/handle";
import { createTagOperation, listTagsOperation } from "@/server/tags/operations";

export const GET = handle(listTagsOperation);

export const POST = handle(createTagOperation);

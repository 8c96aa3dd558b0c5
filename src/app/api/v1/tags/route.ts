// GET /api/v1/tags – list the workspace's tags, newest first, paginated, filtered by name
// POST /api/v1/tags – create a tag (name unique in the workspace ignoring case, hex colour)
import { handle } from "@/server/api/handle";
import { createTag } from "@/server/tags/create-tag";
import { createTagOperation, listTagsOperation } from "@/server/tags/operations";
import { listTags } from "@/server/tags/read-tags";

export const GET = handle(listTagsOperation, ({ principal, query }) => listTags(principal, query));

export const POST = handle(createTagOperation, ({ principal, body }) => createTag(principal, body));

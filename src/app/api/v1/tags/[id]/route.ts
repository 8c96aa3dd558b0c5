// GET /api/v1/tags/{id} – one tag
// PATCH /api/v1/tags/{id} – rename it or change its colour
// DELETE /api/v1/tags/{id} – delete it; campaigns lose the tag, nothing else
import { handle } from "@/server/api/handle";
import { deleteTag, updateTag } from "@/server/tags/manage-tag";
import { deleteTagOperation, getTagOperation, updateTagOperation } from "@/server/tags/operations";
import { getTag } from "@/server/tags/read-tags";

export const GET = handle(getTagOperation, ({ principal, params }) => getTag(principal, params.id));

export const PATCH = handle(updateTagOperation, ({ principal, params, body }) => updateTag(principal, params.id, body));

export const DELETE = handle(deleteTagOperation, ({ principal, params }) => deleteTag(principal, params.id));

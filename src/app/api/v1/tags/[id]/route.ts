// GET /api/v1/tags/{id} – one tag
// PATCH /api/v1/tags/{id} – rename it or change its colour
// DELETE /api/v1/tags/{id} – delete it; campaigns lose the tag, nothing else
import { handle } from "@/server/api/handle";
import { deleteTagOperation, getTagOperation, updateTagOperation } from "@/server/tags/operations";

export const GET = handle(getTagOperation);

export const PATCH = handle(updateTagOperation);

export const DELETE = handle(deleteTagOperation);

import { idParams } from "@/server/api/common-schemas";
import { defineOperation } from "@/server/api/operation";
import { route } from "@/server/api/routes";
import { pageSchema } from "@/server/api/pagination";
import { createTag } from "@/server/tags/create-tag";
import { deleteTag, updateTag } from "@/server/tags/manage-tag";
import { getTag, listTags } from "@/server/tags/read-tags";
import { createTagSchema, listTagsQuery, updateTagSchema, tagSchema } from "./schemas";

const exampleTag = {
  id: "cm3k2j4l50003abcd1234efgh",
  name: "Newsletter",
  color: "#3b82f6",
  createdAt: "2026-11-01T09:30:00.000Z",
  updatedAt: "2026-11-01T09:30:00.000Z",
};

export const listTagsOperation = defineOperation({
  ...route("listTags"),
  tag: "Tags",
  summary: "List tags",
  description: "The workspace's tags, newest first, a page at a time. `q` filters by name.",
  permission: "tags.read",
  query: listTagsQuery,
  status: 200,
  errors: [422],
  response: pageSchema(tagSchema),
  example: { response: { data: [exampleTag], nextCursor: null } },
  run: ({ principal, query }) => listTags(principal, query),
});

export const createTagOperation = defineOperation({
  ...route("createTag"),
  tag: "Tags",
  summary: "Create a tag",
  description: 'Names are unique in the workspace, ignoring case: "News" and "news" cannot both exist (409).',
  permission: "tags.write",
  body: createTagSchema,
  status: 201,
  errors: [409, 413, 415, 422],
  response: tagSchema,
  example: { request: { name: "Newsletter", color: "#3B82F6" }, response: exampleTag },
  run: ({ principal, body }) => createTag(principal, body),
});

export const getTagOperation = defineOperation({
  ...route("getTag"),
  tag: "Tags",
  summary: "Get a tag",
  permission: "tags.read",
  params: idParams,
  status: 200,
  errors: [404],
  response: tagSchema,
  example: { response: exampleTag },
  run: ({ principal, params }) => getTag(principal, params.id),
});

export const updateTagOperation = defineOperation({
  ...route("updateTag"),
  tag: "Tags",
  summary: "Rename a tag or change its colour",
  description: "Send the fields to change. A name another tag has (in any case) is a 409.",
  permission: "tags.write",
  params: idParams,
  body: updateTagSchema,
  status: 200,
  errors: [404, 409, 413, 415, 422],
  response: tagSchema,
  example: {
    request: { name: "Monthly newsletter", color: "#f59e0b" },
    response: { ...exampleTag, name: "Monthly newsletter", color: "#f59e0b", updatedAt: "2026-11-02T10:00:00.000Z" },
  },
  run: ({ principal, params, body }) => updateTag(principal, params.id, body),
});

export const deleteTagOperation = defineOperation({
  ...route("deleteTag"),
  tag: "Tags",
  summary: "Delete a tag",
  description: "Campaigns that carried the tag lose it; the campaigns themselves stay.",
  permission: "tags.write",
  params: idParams,
  status: 204,
  errors: [404],
  run: ({ principal, params }) => deleteTag(principal, params.id),
});

import { z } from "zod";
import { idParams, timestamp } from "@/server/api/common-schemas";
import { defineOperation } from "@/server/api/operation";
import { pageSchema } from "@/server/api/pagination";
import { createTagSchema, listTagsQuery, updateTagSchema } from "./schemas";

const tagSchema = z
  .object({
    id: z.string().max(64).regex(/^[A-Za-z0-9_-]+$/),
    name: z.string().max(50),
    color: z.string().max(7).regex(/^#[0-9a-f]{6}$/).describe('Lower-case "#rrggbb".'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .describe("A tag, attachable to campaigns.");

const exampleTag = {
  id: "cm3k2j4l50003abcd1234efgh",
  name: "Newsletter",
  color: "#3b82f6",
  createdAt: "2026-11-01T09:30:00.000Z",
  updatedAt: "2026-11-01T09:30:00.000Z",
};

export const listTagsOperation = defineOperation({
  id: "listTags",
  method: "GET",
  path: "/api/v1/tags",
  tag: "Tags",
  summary: "List tags",
  description: "The workspace's tags, newest first, a page at a time. `q` filters by name.",
  permission: "tags.read",
  query: listTagsQuery,
  status: 200,
  errors: [422],
  response: pageSchema(tagSchema),
  example: { response: { data: [exampleTag], nextCursor: null } },
});

export const createTagOperation = defineOperation({
  id: "createTag",
  method: "POST",
  path: "/api/v1/tags",
  tag: "Tags",
  summary: "Create a tag",
  description: 'Names are unique in the workspace, ignoring case: "News" and "news" cannot both exist (409).',
  permission: "tags.write",
  body: createTagSchema,
  status: 201,
  errors: [409, 413, 415, 422],
  response: tagSchema,
  example: { request: { name: "Newsletter", color: "#3B82F6" }, response: exampleTag },
});

export const getTagOperation = defineOperation({
  id: "getTag",
  method: "GET",
  path: "/api/v1/tags/{id}",
  tag: "Tags",
  summary: "Get a tag",
  permission: "tags.read",
  params: idParams,
  status: 200,
  errors: [404],
  response: tagSchema,
  example: { response: exampleTag },
});

export const updateTagOperation = defineOperation({
  id: "updateTag",
  method: "PATCH",
  path: "/api/v1/tags/{id}",
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
});

export const deleteTagOperation = defineOperation({
  id: "deleteTag",
  method: "DELETE",
  path: "/api/v1/tags/{id}",
  tag: "Tags",
  summary: "Delete a tag",
  description: "Campaigns that carried the tag lose it; the campaigns themselves stay.",
  permission: "tags.write",
  params: idParams,
  status: 204,
  errors: [404],
});

import { z } from "zod";
import { timestamp } from "@/server/api/common-schemas";
import { defineOperation } from "@/server/api/operation";
import { pageSchema } from "@/server/api/pagination";
import { listWorkspacesQuery, workspaceRefParams } from "./api-schemas";
import { updateWorkspaceSchema } from "./schemas";

const workspaceSchema = z
  .object({
    id: z.string().max(64).regex(/^[A-Za-z0-9_-]+$/),
    slug: z.string().max(48).regex(/^[a-z0-9-]+$/).describe("Unique across Heyoo; part of the workspace's URLs."),
    name: z.string().max(64),
    createdAt: timestamp,
  })
  .describe("A workspace (organisation).");

const exampleWorkspace = { id: "cm3k2j4l50002abcd1234efgh", slug: "acme", name: "Acme", createdAt: "2026-10-01T08:00:00.000Z" };

export const listWorkspacesOperation = defineOperation({
  id: "listWorkspaces",
  method: "GET",
  path: "/api/v1/workspaces",
  tag: "Workspaces",
  summary: "List workspaces",
  description: "The workspace the key belongs to: a key can see no other, so the list holds exactly one.",
  permission: "workspaces.read",
  query: listWorkspacesQuery,
  status: 200,
  errors: [422],
  response: pageSchema(workspaceSchema),
  example: { response: { data: [exampleWorkspace], nextCursor: null } },
});

export const getWorkspaceOperation = defineOperation({
  id: "getWorkspace",
  method: "GET",
  path: "/api/v1/workspaces/{idOrSlug}",
  tag: "Workspaces",
  summary: "Get a workspace",
  description: "By id or slug. Any workspace but the key's own is a 404.",
  permission: "workspaces.read",
  params: workspaceRefParams,
  status: 200,
  errors: [404],
  response: workspaceSchema,
  example: { response: exampleWorkspace },
});

export const updateWorkspaceOperation = defineOperation({
  id: "updateWorkspace",
  method: "PATCH",
  path: "/api/v1/workspaces/{idOrSlug}",
  tag: "Workspaces",
  summary: "Rename a workspace or change its slug",
  description: "Owners' keys only. A slug another workspace has is a 409; the old slug stops naming this workspace at once.",
  permission: "workspaces.write",
  params: workspaceRefParams,
  body: updateWorkspaceSchema,
  status: 200,
  errors: [404, 409, 413, 415, 422],
  response: workspaceSchema,
  example: { request: { name: "Acme Inc", slug: "acme-inc" }, response: { ...exampleWorkspace, name: "Acme Inc", slug: "acme-inc" } },
});

import { defineOperation } from "@/server/api/operation";
import { route } from "@/server/api/routes";
import { pageSchema } from "@/server/api/pagination";
import { getWorkspace, listWorkspaces } from "@/server/workspaces/get-workspace";
import { updateWorkspace } from "@/server/workspaces/update-workspace";
import { listWorkspacesQuery, workspaceRefParams } from "./api-schemas";
import { updateWorkspaceSchema, workspaceSchema } from "./schemas";

const exampleWorkspace = { id: "cm3k2j4l50002abcd1234efgh", slug: "acme", name: "Acme", createdAt: "2026-10-01T08:00:00.000Z" };

export const listWorkspacesOperation = defineOperation({
  ...route("listWorkspaces"),
  tag: "Workspaces",
  summary: "List workspaces",
  description: "The workspace the key belongs to: a key can see no other, so the list holds exactly one.",
  permission: "workspaces.read",
  query: listWorkspacesQuery,
  status: 200,
  errors: [422],
  response: pageSchema(workspaceSchema),
  example: { response: { data: [exampleWorkspace], nextCursor: null } },
  run: ({ principal, query }) => listWorkspaces(principal, query),
});

export const getWorkspaceOperation = defineOperation({
  ...route("getWorkspace"),
  tag: "Workspaces",
  summary: "Get a workspace",
  description: "By id or slug. Any workspace but the key's own is a 404.",
  permission: "workspaces.read",
  params: workspaceRefParams,
  status: 200,
  errors: [404],
  response: workspaceSchema,
  example: { response: exampleWorkspace },
  run: ({ principal, params }) => getWorkspace(principal, params.idOrSlug),
});

export const updateWorkspaceOperation = defineOperation({
  ...route("updateWorkspace"),
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
  run: ({ principal, params, body }) => updateWorkspace(principal, params.idOrSlug, body),
});

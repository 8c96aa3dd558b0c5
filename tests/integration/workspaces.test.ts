import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createWorkspace } from "@/server/workspaces/create-workspace";
import { execute } from "@/server/api/execute";
import { updateWorkspaceOperation } from "@/server/workspaces/operations";
import { updateWorkspace } from "@/server/workspaces/update-workspace";
import { sessionPrincipalOrThrow } from "@/server/auth/session-door";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";
import { createAccount, createTeam, unique } from "../support/factories";
import { refusal } from "../support/helpers";

describe("workspaces", () => {
  it("a user creates more workspaces and owns each; the list shows them all", async () => {
    const { user, workspace } = await createAccount();
    const second = await createWorkspace(user.id, { name: "Side Project" });
    expect(second.slug).toMatch(/^side-project/);
    const listed = await listWorkspacesForUser(user.id);
    expect(listed.map((entry) => entry.slug).sort()).toEqual([workspace.slug, second.slug].sort());
    expect(listed.every((entry) => entry.memberships[0]?.role === "owner")).toBe(true);
  });

  it("refuses a taken slug with a field error and creates nothing", async () => {
    const { user, workspace } = await createAccount();
    const before = await db.workspace.count();
    const error = await refusal(createWorkspace(user.id, { name: "Copy", slug: workspace.slug }));
    expect(error.code).toBe("conflict");
    expect(error.details.fieldErrors?.slug).toEqual(["This slug is already taken."]);
    expect(await db.workspace.count()).toBe(before);
  });

  it("owners rename the workspace and change its slug", async () => {
    const { owner } = await createTeam();
    const slug = unique("renamed");
    const updated = await updateWorkspace(owner, owner.workspace.id, { name: "Renamed Inc", slug });
    expect(updated).toMatchObject({ name: "Renamed Inc", slug });
  });

  it("a rename to another workspace's slug is a conflict and changes nothing", async () => {
    const { owner, workspace } = await createTeam();
    const other = await createAccount();
    const error = await refusal(updateWorkspace(owner, owner.workspace.id, { name: "New name", slug: other.workspace.slug }));
    expect(error.code).toBe("conflict");
    expect(await db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).toMatchObject({
      name: workspace.name,
      slug: workspace.slug,
    });
  });

  it("members cannot change settings: 403 naming workspaces.write", async () => {
    const { member } = await createTeam();
    const error = await refusal(
      execute(updateWorkspaceOperation, member, { params: { idOrSlug: member.workspace.slug }, body: { name: "Hijacked" } }),
    );
    expect(error.status).toBe(403);
    expect(error.details.requiredPermission).toBe("workspaces.write");
  });

  it("a workspace one is not a member of answers exactly like one that does not exist", async () => {
    const outsider = await createAccount();
    const session = { sessionId: "s", user: { ...outsider.user } };
    const { workspace } = await createTeam();
    const foreign = await refusal(sessionPrincipalOrThrow(session, workspace.slug));
    const missing = await refusal(sessionPrincipalOrThrow(session, unique("missing")));
    expect(foreign.code).toBe("not_found");
    expect({ code: missing.code, message: missing.message }).toEqual({ code: foreign.code, message: foreign.message });
  });
});

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { getSessionUser } from "@/server/auth/session";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  const session = await getSessionUser();
  if (!session) redirect("/sign-in?next=/new");
  const workspaces = await listWorkspacesForUser(session.user.id);
  return (
    <AppShell user={session.user} workspaces={workspaces} narrow>
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">New workspace</h1>
        <NewWorkspaceForm />
      </div>
    </AppShell>
  );
}

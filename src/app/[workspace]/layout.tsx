import { AppShell } from "@/components/app-shell";
import { pagePrincipal } from "@/server/auth/page-principal";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";

export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const workspaces = await listWorkspacesForUser(principal.user.id);
  return (
    <AppShell user={principal.user} workspaces={workspaces} current={principal.workspace.slug}>
      {children}
    </AppShell>
  );
}

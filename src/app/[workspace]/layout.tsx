import { AppShell } from "@/components/app-shell";
import { apiKeyNoticesOperation } from "@/server/api-keys/operations";
import { pagePrincipal, readForPage } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { now } from "@/server/clock";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";
import { KeyNotices } from "./key-notices";

export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  // Owners (who may act on every key) are told on every page of the workspace about keys that leaked or stop soon.
  const [workspaces, notices] = await Promise.all([
    listWorkspacesForUser(principal.user.id),
    can(principal, "apiKeys.manageAll") ? readForPage(apiKeyNoticesOperation, principal) : null,
  ]);
  const anything = notices && (notices.leaked.total > 0 || notices.stopping.total > 0);
  return (
    <AppShell user={principal.user} workspaces={workspaces} current={principal.workspace.slug}>
      {anything ? <KeyNotices slug={principal.workspace.slug} notices={notices} serverNow={now().toISOString()} /> : null}
      {children}
    </AppShell>
  );
}

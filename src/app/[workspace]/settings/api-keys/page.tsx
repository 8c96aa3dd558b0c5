import type { Metadata } from "next";
import { listApiKeysOperation } from "@/server/api-keys/operations";
import { pagePrincipal, readForPage } from "@/server/auth/page-principal";
import { KEY_SCOPES } from "@/server/auth/permissions";
import { can } from "@/server/auth/principal";
import { ApiKeysManager } from "./api-keys-manager";

export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const { data: keys } = await readForPage(listApiKeysOperation, principal);

  return (
    <ApiKeysManager
      slug={principal.workspace.slug}
      keys={keys}
      currentUserId={principal.user.id}
      canWrite={can(principal, "apiKeys.write")}
      canManageAll={can(principal, "apiKeys.manageAll")}
      canCreateMachine={can(principal, "machineUsers.create")}
      heldScopes={KEY_SCOPES.filter((scope) => can(principal, scope))}
    />
  );
}

import type { Metadata } from "next";
import { listApiKeyOwnersOperation, listApiKeysOperation } from "@/server/api-keys/operations";
import { pagePrincipal, readForPage, readListForPage } from "@/server/auth/page-principal";
import { KEY_SCOPES } from "@/server/auth/permissions";
import { can } from "@/server/auth/principal";
import { now } from "@/server/clock";
import { pageQuery } from "@/server/http/page-query";
import { ApiKeysManager } from "./api-keys-manager";
import { LIST_PARAMS, type ListQuery } from "./shared";

export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  // A cursor from an old link (or another sort) starts the list over instead of failing the page.
  const [{ data: page, query }, owners] = await Promise.all([
    readListForPage(listApiKeysOperation, principal, pageQuery(await searchParams, LIST_PARAMS)),
    readForPage(listApiKeyOwnersOperation, principal),
  ]);

  return (
    <ApiKeysManager
      slug={principal.workspace.slug}
      keys={page.data}
      nextCursor={page.nextCursor}
      query={{ ...query, sort: (query.sort ?? "created") as ListQuery["sort"] } as ListQuery}
      owners={owners}
      // The lifecycle clock the keys' states were computed with (a test server's can run ahead).
      serverNow={now().toISOString()}
      currentUserId={principal.user.id}
      canWrite={can(principal, "apiKeys.write")}
      canManageAll={can(principal, "apiKeys.manageAll")}
      canCreateMachine={can(principal, "machineUsers.create")}
      heldScopes={KEY_SCOPES.filter((scope) => can(principal, scope))}
    />
  );
}

import type { Metadata } from "next";
import { listApiKeyOwners, listApiKeys } from "@/server/api-keys/read-api-keys";
import { listApiKeysQuerySchema, type ListApiKeysQuery } from "@/server/api-keys/schemas";
import { pagePrincipal } from "@/server/auth/page-principal";
import { KEY_SCOPES } from "@/server/auth/permissions";
import { can, type Principal } from "@/server/auth/principal";
import { AppError } from "@/server/http/errors";
import { pageQuery } from "@/server/http/page-query";
import { ApiKeysManager } from "./api-keys-manager";
import { LIST_PARAMS } from "./shared";

export const metadata: Metadata = { title: "API Keys" };

/** A cursor from an old link (or another sort) starts the list over instead of failing the page. */
async function firstValidPage(principal: Principal, query: ListApiKeysQuery) {
  try {
    return { query, page: await listApiKeys(principal, query) };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "unprocessable_entity" || !query.cursor) throw error;
    const restarted = { ...query, cursor: undefined };
    return { query: restarted, page: await listApiKeys(principal, restarted) };
  }
}

export default async function ApiKeysPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug, `/${slug}/settings/api-keys`);
  const { query, page } = await firstValidPage(principal, pageQuery(listApiKeysQuerySchema, await searchParams, LIST_PARAMS));
  const owners = await listApiKeyOwners(principal);

  return (
    <ApiKeysManager
      slug={principal.workspace.slug}
      keys={page.data}
      nextCursor={page.nextCursor}
      query={{ q: query.q, kind: query.kind, owner: query.owner, sort: query.sort, cursor: query.cursor }}
      owners={owners}
      serverNow={new Date().toISOString()}
      currentUserId={principal.user.id}
      canWrite={can(principal, "apiKeys.write")}
      canManageAll={can(principal, "apiKeys.manageAll")}
      canCreateMachine={can(principal, "machineUsers.create")}
      heldScopes={KEY_SCOPES.filter((scope) => can(principal, scope))}
    />
  );
}

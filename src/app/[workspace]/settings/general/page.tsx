import type { Metadata } from "next";
import { pagePrincipal } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { WorkspaceForm } from "./workspace-form";

export const metadata: Metadata = { title: "General settings" };

export default async function GeneralSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  const { workspace: slug } = await params;
  const { saved } = await searchParams;
  const principal = await pagePrincipal(slug);
  return (
    <WorkspaceForm
      key={principal.workspace.slug}
      workspace={principal.workspace}
      canEdit={can(principal, "workspaces.write")}
      saved={saved === "1"}
    />
  );
}

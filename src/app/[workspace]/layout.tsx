import Link from "next/link";
import { signOutAction } from "@/app/actions/session";
import { WorkspaceSwitcher } from "@/components/workspace-switcher";
import { Button } from "@/components/ui";
import { pagePrincipal } from "@/server/auth/page-principal";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";

const NAV = [
  { href: "campaigns", label: "Campaigns" },
  { href: "domains", label: "Domains" },
  { href: "tags", label: "Tags" },
  { href: "settings", label: "Settings" },
];

export default async function WorkspaceLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const workspaces = await listWorkspacesForUser(principal.user.id);

  return (
    <div className="min-h-screen">
      <header className="border-b border-neutral-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center gap-4 px-4 py-3">
          <Link href={`/${principal.workspace.slug}`} className="text-lg font-bold tracking-tight">
            heyoo
          </Link>
          <WorkspaceSwitcher current={principal.workspace.slug} workspaces={workspaces} />
          <nav className="flex gap-1 text-sm" aria-label="Workspace">
            {NAV.map((item) => (
              <Link key={item.href} className="rounded px-2 py-1 hover:bg-neutral-100" href={`/${principal.workspace.slug}/${item.href}`}>
                {item.label}
              </Link>
            ))}
            <Link className="rounded px-2 py-1 text-neutral-600 hover:bg-neutral-100" href="/docs/api">
              API reference
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm text-neutral-600">
            <Link data-testid="current-user" className="rounded px-2 py-1 hover:bg-neutral-100" href="/account" title="Your account">
              {principal.user.email}
            </Link>
            <form action={signOutAction}>
              <Button variant="ghost" type="submit">
                Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/actions/session";
import { NavLinks } from "./main-nav";
import { SignOutButton } from "./sign-out-button";
import { FOCUS_RING } from "./ui";
import { WorkspaceSwitcher } from "./workspace-switcher";

const SECTIONS = [
  { href: "campaigns", label: "Campaigns" },
  { href: "domains", label: "Domains" },
  { href: "tags", label: "Tags" },
  { href: "settings", label: "Settings" },
];

/**
 * The frame of every signed-in page (a workspace's pages, /account, /new): the header with the workspace
 * switcher, the sections of the current workspace and the account, then the page in <main id="content">, the
 * target of the skip link. On a phone the header wraps onto a second line instead of widening the page.
 */
export function AppShell({
  user,
  workspaces,
  current,
  children,
  narrow = false,
}: {
  user: { email: string };
  workspaces: { slug: string; name: string }[];
  /** The workspace the page belongs to; none on /account and /new. */
  current?: string;
  children: ReactNode;
  narrow?: boolean;
}) {
  const home = current ? `/${current}` : "/";
  const nav = current
    ? [
        { href: `/${current}`, label: "Overview", exact: true },
        ...SECTIONS.map((section) => ({ href: `/${current}/${section.href}`, label: section.label })),
        { href: "/docs/api", label: "API reference" },
      ]
    : [{ href: "/docs/api", label: "API reference" }];
  return (
    <div className="min-h-screen">
      <header className="border-b border-neutral-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href={home} className={`rounded text-lg font-bold tracking-tight ${FOCUS_RING}`}>
            heyoo
          </Link>
          {workspaces.length ? <WorkspaceSwitcher current={current} workspaces={workspaces} /> : null}
          <div className="ml-auto flex min-w-0 items-center gap-1 text-sm sm:order-last">
            <Link
              data-testid="current-user"
              className={`block max-w-[11rem] truncate rounded-md px-2 py-1.5 text-neutral-700 hover:bg-neutral-100 sm:max-w-[16rem] ${FOCUS_RING}`}
              href="/account"
              title="Your account"
            >
              {user.email}
            </Link>
            <form action={signOutAction}>
              <SignOutButton />
            </form>
          </div>
          <NavLinks label="Workspace" items={nav} className="w-full sm:w-auto" />
        </div>
      </header>
      <main id="content" tabIndex={-1} className={`mx-auto px-4 py-6 outline-none sm:py-8 ${narrow ? "max-w-2xl" : "max-w-6xl"}`}>
        {children}
      </main>
    </div>
  );
}

"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function SettingsNav({ slug, tabs }: { slug: string; tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="flex flex-row flex-wrap gap-1 md:flex-col">
      {tabs.map((tab) => {
        const href = `/${slug}/settings/${tab.href}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={tab.href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm ${active ? "bg-neutral-200 font-medium" : "text-neutral-600 hover:bg-neutral-100"}`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}

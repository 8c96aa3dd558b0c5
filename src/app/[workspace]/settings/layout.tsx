import { SettingsNav } from "@/components/settings-nav";
import { pagePrincipal } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";

const TABS = [
  { href: "api-keys", label: "API Keys" },
  { href: "general", label: "General" },
  { href: "people", label: "People" },
];

/** Only owners can read the audit log: members are not shown a tab that would tell them so. */
const AUDIT_LOG_TAB = { href: "audit-log", label: "Audit log" };

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  const principal = await pagePrincipal(workspace);
  const tabs = can(principal, "auditLog.read") ? [...TABS, AUDIT_LOG_TAB] : TABS;
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <aside>
        <h1 className="mb-3 text-xl font-semibold">Settings</h1>
        <SettingsNav slug={workspace} tabs={tabs} />
      </aside>
      <div className="space-y-6">{children}</div>
    </div>
  );
}

import { SettingsNav } from "@/components/settings-nav";

const TABS = [
  { href: "api-keys", label: "API Keys" },
  { href: "general", label: "General" },
  { href: "people", label: "People" },
];

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <aside>
        <h1 className="mb-3 text-xl font-semibold">Settings</h1>
        <SettingsNav slug={workspace} tabs={TABS} />
      </aside>
      <div className="space-y-6">{children}</div>
    </div>
  );
}

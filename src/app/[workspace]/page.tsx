import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ClockProvider } from "@/components/relative-time";
import { Notice } from "@/components/ui";
import { campaignTotalsForYear } from "@/server/analytics/campaign-totals";
import { getAnalyticsOperation } from "@/server/analytics/operations";
import { apiKeysOverviewOperation } from "@/server/api-keys/operations";
import type { ApiKey } from "@/server/api-keys/schemas";
import { pagePrincipal, readForPage, readPartForPage } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { now as clockNow } from "@/server/clock";
import { Expiry, LastUsed } from "./settings/api-keys/key-times";

export const metadata: Metadata = { title: "Home" };

function Stat({ label, value, detail }: { label: string; value: string; detail?: ReactNode }) {
  return (
    <div className="rounded-lg border border-neutral-200 bg-white px-4 py-3 text-neutral-900 shadow-xs">
      <dt className="text-sm text-neutral-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      {detail ? <dd className="mt-0.5 text-xs text-neutral-600">{detail}</dd> : null}
    </div>
  );
}

function Panel({ title, id, action, children }: { title: string; id: string; action?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-neutral-200 bg-white text-neutral-900 shadow-xs">
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-neutral-200 px-4 py-3">
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {action}
      </header>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

function KeyList({ keys, time, empty }: { keys: ApiKey[]; time: (key: ApiKey) => ReactNode; empty: string }) {
  if (keys.length === 0) return <p className="py-2 text-sm text-neutral-600">{empty}</p>;
  return (
    <ul className="divide-y divide-neutral-100">
      {keys.map((key) => (
        <li key={key.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-2 text-sm" data-testid="home-key">
          <span className="min-w-0">
            <span className="block font-medium break-words">{key.name}</span>
            <span className="text-xs text-neutral-600">
              <code className="font-mono">{key.partialKey}</code> · {key.owner.name}
            </span>
          </span>
          <span className="text-neutral-700">{time(key)}</span>
        </li>
      ))}
    </ul>
  );
}

const LINK = "text-sm font-medium text-neutral-700 underline underline-offset-2 hover:text-neutral-900";

/** The workspace at a glance: its keys (those about to expire, those used lately) and its campaign figures. */
export default async function WorkspaceHome({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const now = new Date();
  const keysPath = `/${principal.workspace.slug}/settings/api-keys`;
  const [keys, analytics] = await Promise.all([
    can(principal, "apiKeys.read") ? readForPage(apiKeysOverviewOperation, principal) : null,
    can(principal, "analytics.read") ? readPartForPage(getAnalyticsOperation, principal, { query: campaignTotalsForYear(now) }) : null,
  ]);
  const number = (value: number) => value.toLocaleString("en");

  return (
    // The keys' expiries read against the lifecycle clock they were computed with (a test server's can run ahead).
    <ClockProvider serverNow={clockNow().toISOString()}>
      <div className="space-y-6">
        <div>
          <h1 className="text-xl font-semibold break-words">{principal.workspace.name}</h1>
          <p className="text-sm text-neutral-600">Your API keys and campaigns at a glance.</p>
        </div>

        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          {keys ? (
            <Stat
              label="API keys"
              value={number(keys.total)}
              detail={keys.expired ? `${number(keys.expired)} expired` : keys.total ? "none expired" : "none yet"}
            />
          ) : null}
          {analytics?.data ? (
            <>
              <Stat label="Sent" value={number(analytics.data.totals.sent)} detail="last 365 days" />
              <Stat label="Opened" value={number(analytics.data.totals.opened)} detail="last 365 days" />
              <Stat label="Clicked" value={number(analytics.data.totals.clicked)} detail="last 365 days" />
            </>
          ) : null}
        </dl>
        {analytics?.unavailable ? <Notice tone="warning">Campaign figures are not shown for now. {analytics.unavailable}</Notice> : null}

        {keys ? (
          <div className="grid gap-4 md:grid-cols-2">
            <Panel
              id="home-expiring"
              title="Expiring soon"
              action={
                <Link className={LINK} href={`${keysPath}?sort=expires`}>
                  All by expiry
                </Link>
              }
            >
              <KeyList keys={keys.expiring} time={(key) => <Expiry iso={key.expiresAt} />} empty="No key expires in the next 7 days." />
            </Panel>
            <Panel
              id="home-activity"
              title="Recent key activity"
              action={
                <Link className={LINK} href={`${keysPath}?sort=last_used`}>
                  All by last use
                </Link>
              }
            >
              <KeyList keys={keys.recentlyUsed} time={(key) => <LastUsed iso={key.lastUsedAt} />} empty="No key has been used yet." />
            </Panel>
          </div>
        ) : null}

        <p className="flex flex-wrap gap-x-4 gap-y-2">
          <Link className={LINK} href={keysPath}>
            Manage API keys
          </Link>
          <Link className={LINK} href={`/${principal.workspace.slug}/campaigns`}>
            Campaigns
          </Link>
          <Link className={LINK} href="/docs/api">
            API reference
          </Link>
        </p>
      </div>
    </ClockProvider>
  );
}

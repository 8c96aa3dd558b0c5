import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ClockProvider, RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui";
import { getApiKeyOperation, getApiKeyUsageOperation } from "@/server/api-keys/operations";
import type { ApiKey, ApiKeyUsage } from "@/server/api-keys/schemas";
import { pagePrincipal, readForPage } from "@/server/auth/page-principal";
import { describePermission, isPermission } from "@/server/auth/permissions";
import { can } from "@/server/auth/principal";
import { now } from "@/server/clock";
import { Expiry, LastUsed } from "../key-times";
import { mayChangeKey, permissionsSummary } from "../shared";
import { KeyStatus } from "./key-status";
import { RestrictKey, type PermissionLine } from "./restrict-key";
import { UsageChart } from "./usage-chart";
import { STATUS_CLASSES, countText } from "./usage-format";

export const metadata: Metadata = { title: "API key" };

const LINK = "underline decoration-neutral-400 underline-offset-2 hover:decoration-neutral-900";

/** A permission with its description from the permission table. */
function lines(permissions: readonly string[]): PermissionLine[] {
  return permissions.map((permission) => ({
    permission,
    description: isPermission(permission) ? describePermission(permission) : "no longer a permission",
  }));
}

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg border border-neutral-200 bg-white text-neutral-900 shadow-xs">
      <header className="border-b border-neutral-200 px-4 py-4 sm:px-5">
        <h3 id={id} className="text-base font-semibold">
          {title}
        </h3>
        {description ? <div className="mt-1 space-y-1 text-sm text-neutral-600">{description}</div> : null}
      </header>
      <div className="space-y-4 px-4 py-4 sm:px-5">{children}</div>
    </section>
  );
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[9rem_minmax(0,1fr)] sm:gap-4">
      <dt className="text-sm text-neutral-600">{term}</dt>
      <dd className="min-w-0 text-sm text-neutral-900">{children}</dd>
    </div>
  );
}

function PermissionList({ label, permissions }: { label: string; permissions: readonly string[] }) {
  return (
    <ul aria-label={label} className="space-y-0.5 text-sm">
      {lines(permissions).map((line) => (
        <li key={line.permission}>
          <code className="font-mono text-xs">{line.permission}</code> <span className="text-neutral-600">({line.description})</span>
        </li>
      ))}
    </ul>
  );
}

function Details({ apiKey, usage, currentUserId, nameId }: { apiKey: ApiKey; usage: ApiKeyUsage; currentUserId: string; nameId: string }) {
  const { lastUsed } = usage;
  return (
    <dl className="divide-y divide-neutral-100">
      <Detail term="Status">
        <KeyStatus apiKey={apiKey} describedBy={nameId} />
      </Detail>
      <Detail term="Owner">
        <span className="flex flex-wrap items-center gap-1.5">
          {apiKey.owner.type === "machine" ? <Badge tone="blue">Machine</Badge> : null}
          <span className="[overflow-wrap:anywhere]">{apiKey.owner.name}</span>
          {apiKey.owner.id === currentUserId ? <Badge>You</Badge> : null}
        </span>
      </Detail>
      <Detail term="Permissions">
        <p className="mb-1 font-medium" data-testid="permissions-summary">
          {permissionsSummary(apiKey.kind, apiKey.permissions)}
        </p>
        {apiKey.permissions.length ? (
          <PermissionList label="Permissions" permissions={apiKey.permissions} />
        ) : (
          <p className="text-neutral-600">It holds no permissions.</p>
        )}
      </Detail>
      {apiKey.ipAllowlist.length ? (
        <Detail term="IP allowlist">
          <ul className="font-mono text-xs">
            {apiKey.ipAllowlist.map((entry) => (
              <li key={entry}>{entry}</li>
            ))}
          </ul>
        </Detail>
      ) : null}
      <Detail term="Created">
        <RelativeTime iso={apiKey.createdAt} />
        {apiKey.createdBy ? <span className="[overflow-wrap:anywhere]"> by {apiKey.createdBy.name}</span> : null}
      </Detail>
      <Detail term="Last used">
        <span data-testid="last-used">
          <LastUsed iso={lastUsed?.at ?? apiKey.lastUsedAt} />
        </span>
        {lastUsed?.ip || lastUsed?.userAgent ? (
          <span className="mt-0.5 block text-xs text-neutral-600 [overflow-wrap:anywhere]" data-testid="last-used-from">
            {lastUsed.ip ? <>from {lastUsed.ip}</> : null}
            {lastUsed.ip && lastUsed.userAgent ? " · " : null}
            {lastUsed.userAgent ? <span className="font-mono">{lastUsed.userAgent}</span> : null}
          </span>
        ) : null}
      </Detail>
      <Detail term="Expires">
        <Expiry iso={apiKey.expiresAt} />
      </Detail>
    </dl>
  );
}

function Totals({ total }: { total: ApiKeyUsage["total"] }) {
  return (
    <dl data-testid="usage-totals" className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      <div className="rounded-md border border-neutral-200 px-3 py-2">
        <dt className="text-xs text-neutral-600">Requests</dt>
        <dd data-testid="usage-total" className="text-lg font-semibold tabular-nums">
          {countText(total.requests)}
        </dd>
      </div>
      {STATUS_CLASSES.map((each) => (
        <div key={each.key} className="rounded-md border border-neutral-200 px-3 py-2">
          <dt className="flex items-center gap-1.5 text-xs text-neutral-600">
            <span aria-hidden="true" className={`inline-block size-2.5 rounded-sm ${each.swatch}`} />
            <span>
              <span className="font-mono">{each.key}</span> {each.label}
            </span>
          </dt>
          <dd data-testid={`usage-total-${each.key}`} className="text-lg font-semibold tabular-nums">
            {total[each.key].toLocaleString("en")}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const CELL = "px-3 py-2";

function ByOperation({ operations }: { operations: ApiKeyUsage["operations"] }) {
  return (
    <div>
      <h4 id="by-operation" className="mb-2 text-sm font-semibold">
        By operation
      </h4>
      {/* contain:inline-size: a long path scrolls inside the table instead of widening the page. */}
      <div
        tabIndex={0}
        role="region"
        aria-labelledby="by-operation"
        className="overflow-x-auto rounded-md border border-neutral-200 [contain:inline-size]"
      >
        <table className="w-full text-left text-sm tabular-nums">
          <thead className="border-b border-neutral-200 bg-neutral-50 text-xs text-neutral-600">
            <tr>
              <th scope="col" className={`${CELL} font-medium`}>
                Operation
              </th>
              <th scope="col" className={`${CELL} font-medium`}>
                Permission
              </th>
              <th scope="col" className={`${CELL} text-right font-medium`}>
                Requests
              </th>
              {STATUS_CLASSES.map((each) => (
                <th key={each.key} scope="col" className={`${CELL} text-right font-medium`}>
                  {each.key}
                </th>
              ))}
              <th scope="col" className={`${CELL} text-right font-medium`}>
                Refused
              </th>
            </tr>
          </thead>
          <tbody data-testid="by-operation" className="divide-y divide-neutral-100">
            {operations.map((operation) => (
              <tr key={operation.operation}>
                <th scope="row" className={`${CELL} font-normal whitespace-nowrap`}>
                  <span className="font-mono text-xs font-semibold">{operation.method}</span>{" "}
                  <span className="font-mono text-xs">{operation.path}</span>
                </th>
                <td className={`${CELL} whitespace-nowrap`}>
                  {operation.permission ? <code className="font-mono text-xs">{operation.permission}</code> : "None"}
                </td>
                <td className={`${CELL} text-right`}>{operation.requests.toLocaleString("en")}</td>
                {STATUS_CLASSES.map((each) => (
                  <td key={each.key} className={`${CELL} text-right`}>
                    {operation[each.key].toLocaleString("en")}
                  </td>
                ))}
                <td className={`${CELL} text-right`}>{operation.refused.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-1 text-xs text-neutral-600">
        Refused: turned away before the operation ran, because the key lacked its permission or was over its rate limit.
      </p>
    </div>
  );
}

function observedText(days: number): string {
  if (days < 1) return "less than a day";
  return `${days} ${days === 1 ? "day" : "days"}`;
}

function Advice({ slug, apiKey, advice, mayChange }: { slug: string; apiKey: ApiKey; advice: ApiKeyUsage["advice"]; mayChange: boolean }) {
  const period = `the last ${advice.windowDays} days`;
  const young = advice.observedDays < advice.windowDays;
  const { unused, restrictTo } = advice;
  const usedNone = unused.length > 0 && advice.used.length === 0;
  return (
    <Section
      title="Permissions it does not use"
      description={
        <>
          <p>
            Least privilege: permissions that none of its requests of {period} needed. A key that holds only what it uses does less harm if
            it leaks.
          </p>
          {young ? (
            <p data-testid="observed-days">
              Observed for {observedText(advice.observedDays)}: this key is newer than {advice.windowDays} days, so the advice covers only
              that time and may still change.
            </p>
          ) : null}
        </>
      }
    >
      {unused.length === 0 ? (
        <p data-testid="advice-none">It used every permission it holds in {young ? "that time" : period}: nothing to remove.</p>
      ) : (
        <>
          <PermissionList label="Permissions it does not use" permissions={unused} />
          {usedNone ? (
            <p data-testid="advice-used-none" className="text-sm text-neutral-700">
              It used none of its permissions in {young ? "that time" : period}. If nothing needs it any more, delete it from the{" "}
              <Link className={LINK} href={`/${slug}/settings/api-keys`}>
                keys list
              </Link>
              .
            </p>
          ) : null}
          {restrictTo && mayChange ? (
            <RestrictKey
              slug={slug}
              keyId={apiKey.id}
              keyName={apiKey.name}
              keep={lines(restrictTo)}
              remove={lines(apiKey.permissions.filter((permission) => !(restrictTo as string[]).includes(permission)))}
            />
          ) : restrictTo ? (
            <p className="text-sm text-neutral-600">Only its owner, or a workspace owner, can restrict it.</p>
          ) : null}
        </>
      )}
    </Section>
  );
}

export default async function ApiKeyPage({ params }: { params: Promise<{ workspace: string; id: string }> }) {
  const { workspace, id } = await params;
  const principal = await pagePrincipal(workspace);
  // An unknown id, or another workspace's, is the 404 page (the operations answer not_found for both).
  const [apiKey, usage] = await Promise.all([
    readForPage(getApiKeyOperation, principal, { params: { id } }),
    readForPage(getApiKeyUsageOperation, principal, { params: { id } }),
  ]);
  const slug = principal.workspace.slug;
  const mayChange = mayChangeKey(
    { userId: principal.user.id, canWrite: can(principal, "apiKeys.write"), canManageAll: can(principal, "apiKeys.manageAll") },
    apiKey,
  );
  const nameId = "api-key-name";

  return (
    <ClockProvider serverNow={now().toISOString()}>
      <div className="space-y-6">
        <div className="space-y-2">
          <Link href={`/${slug}/settings/api-keys`} className={`text-sm text-neutral-700 ${LINK}`}>
            <span aria-hidden="true">← </span>All API keys
          </Link>
          <h2 id={nameId} className="text-lg font-semibold [overflow-wrap:anywhere]">
            {apiKey.name}
          </h2>
          <code data-testid="partial-key" className="font-mono text-xs text-neutral-600">
            {apiKey.partialKey}
          </code>
        </div>

        <Section title="Details">
          <Details apiKey={apiKey} usage={usage} currentUserId={principal.user.id} nameId={nameId} />
        </Section>

        <Section title="Usage" description="Requests made with this key, counted every few seconds, so the very latest may be missing.">
          {usage.total.requests === 0 ? (
            <p role="status" className="rounded-lg border border-dashed border-neutral-300 px-6 py-8 text-center text-sm text-neutral-600">
              No requests in the last 90 days
            </p>
          ) : (
            <>
              <Totals total={usage.total} />
              <UsageChart usage={{ days: usage.days, hours: usage.hours }} />
              <ByOperation operations={usage.operations} />
            </>
          )}
        </Section>

        <Advice slug={slug} apiKey={apiKey} advice={usage.advice} mayChange={mayChange} />
      </div>
    </ClockProvider>
  );
}

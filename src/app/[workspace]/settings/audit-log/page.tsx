import type { Metadata } from "next";
import Link from "next/link";
import { Pager } from "@/components/pager";
import { ClockProvider, RelativeTime } from "@/components/relative-time";
import { Badge, Card } from "@/components/ui";
import { AUDIT_ACTION_LABELS } from "@/server/audit/actions";
import { listAuditActorsOperation, listAuditLogOperation } from "@/server/audit/operations";
import type { AuditEvent } from "@/server/audit/schemas";
import { pagePrincipal, readForPage, readListForPage } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { pageQuery } from "@/server/http/page-query";
import { AUDIT_LOG_PARAMS, AuditFilters, type AuditLogParams } from "./audit-filters";
import { changeLines, shortUserAgent } from "./format";

export const metadata: Metadata = { title: "Audit log" };

const LINK = "underline decoration-neutral-400 underline-offset-2 hover:decoration-neutral-900";

/** The page with one more filter (and no cursor: a new filter starts at the first page). */
function filterHref(basePath: string, query: AuditLogParams, filter: { actor?: string; target?: string }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, ...filter, cursor: undefined })) if (value) params.set(name, value);
  return `${basePath}?${params}`;
}

const SCANNERS: Record<string, string> = { github: "GitHub secret scanning", public_report: "A public leak report" };

function Actor({ event, href, currentUserId }: { event: AuditEvent; href: (actor: string) => string; currentUserId: string }) {
  const { actor } = event;
  if (actor.type === "system") return <span>Heyoo (automatic)</span>;
  if (actor.type === "scanner") return <span>{SCANNERS[actor.name ?? ""] ?? "A leak report"}</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5 sm:justify-end">
      {actor.type === "api_key" ? <Badge tone="blue">API key</Badge> : null}
      {actor.id ? (
        <Link className={`${LINK} break-words`} href={href(actor.id)}>
          {actor.name ?? actor.id}
        </Link>
      ) : (
        <span>{actor.name}</span>
      )}
      {actor.type === "user" && actor.id === currentUserId ? <Badge>You</Badge> : null}
    </span>
  );
}

function Target({ event, href }: { event: AuditEvent; href: string }) {
  const { target } = event;
  const name = target.type === "invite" ? "Invite link" : (target.name ?? target.id);
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {target.type === "machine_user" ? <Badge tone="blue">Machine</Badge> : null}
      <Link className={`${LINK} [overflow-wrap:anywhere]`} href={href}>
        {name}
      </Link>
    </span>
  );
}

function Entry({
  event,
  basePath,
  query,
  currentUserId,
}: {
  event: AuditEvent;
  basePath: string;
  query: AuditLogParams;
  currentUserId: string;
}) {
  const lines = changeLines(event.changes);
  const { userAgent } = event;
  return (
    <li data-testid="audit-entry" className="grid gap-x-6 gap-y-2 px-4 py-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,15rem)]">
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
          <span className="font-medium">{AUDIT_ACTION_LABELS[event.action]}</span>
          <Target event={event} href={filterHref(basePath, query, { target: event.target.id })} />
        </p>
        {lines.length ? (
          <dl className="space-y-0.5 text-sm text-neutral-700">
            {lines.map((line) => (
              <div key={line.field} className="flex flex-wrap gap-x-1.5">
                <dt className="text-neutral-600">{line.label}:</dt>
                <dd className="min-w-0 [overflow-wrap:anywhere]">
                  {line.value ?? (
                    <>
                      {line.from} <span aria-hidden="true">→</span>
                      <span className="sr-only">changed to</span> {line.to}
                    </>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
      <div className="min-w-0 space-y-1 text-sm text-neutral-700 sm:text-right">
        <p>
          <Actor event={event} currentUserId={currentUserId} href={(actor) => filterHref(basePath, query, { actor })} />
        </p>
        <p>
          <RelativeTime iso={event.occurredAt} />
        </p>
        <p className="text-xs text-neutral-600 [overflow-wrap:anywhere]">
          <span data-testid="audit-address">{event.ipAddress ?? "Address unknown"}</span>
          {userAgent ? (
            <>
              {" · "}
              <span title={userAgent}>{shortUserAgent(userAgent)}</span>
            </>
          ) : null}
        </p>
      </div>
    </li>
  );
}

export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  if (!can(principal, "auditLog.read")) {
    // Like the other settings a member cannot change: the page says whose it is, and shows nothing of it.
    return (
      <Card title="Audit log" description="Only owners can see the audit log.">
        <p className="text-sm text-neutral-600">
          It records who changed the workspace&apos;s keys, people and settings, when and from where. Ask an owner if you need to know.
        </p>
      </Card>
    );
  }

  const basePath = `/${principal.workspace.slug}/settings/audit-log`;
  const requested: AuditLogParams = pageQuery(await searchParams, AUDIT_LOG_PARAMS);
  // A refused filter is shown under its field, with the value typed; the log is read without it.
  const [{ data: page, query, errors }, actors] = await Promise.all([
    readListForPage(listAuditLogOperation, principal, requested),
    readForPage(listAuditActorsOperation, principal),
  ]);
  const filtered = Boolean(query.actor || query.action || query.target || query.from || query.to);

  return (
    <ClockProvider serverNow={new Date().toISOString()}>
      <section aria-labelledby="audit-log-title" className="space-y-4">
        <div className="max-w-2xl">
          <h2 id="audit-log-title" className="text-lg font-semibold">
            Audit log
          </h2>
          <p className="mt-1 text-sm text-neutral-600">
            Every change to this workspace&apos;s keys, people and settings: what changed, who made it, when and from where. Entries are
            never changed or deleted. Expiries show within a minute.
          </p>
        </div>
        <AuditFilters
          key={JSON.stringify(requested)}
          basePath={basePath}
          values={requested}
          errors={errors}
          actors={actors}
          currentUserId={principal.user.id}
        />
        {page.data.length === 0 ? (
          <p role="status" className="rounded-lg border border-dashed border-neutral-300 px-6 py-8 text-center text-sm text-neutral-600">
            {filtered ? "No entries match these filters." : "Nothing has been recorded yet."}
          </p>
        ) : (
          <ol
            aria-label="Entries, newest first"
            className="divide-y divide-neutral-100 rounded-lg border border-neutral-200 bg-white text-neutral-900 shadow-xs"
          >
            {page.data.map((event) => (
              <Entry key={event.id} event={event} basePath={basePath} query={query} currentUserId={principal.user.id} />
            ))}
          </ol>
        )}
        <Pager basePath={basePath} params={query} nextCursor={page.nextCursor} />
      </section>
    </ClockProvider>
  );
}

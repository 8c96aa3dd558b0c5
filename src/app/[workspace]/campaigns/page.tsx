import type { Metadata } from "next";
import Link from "next/link";
import { Pager } from "@/components/pager";
import { TagChip } from "@/components/tag-chip";
import { Badge, Card, Field, FOCUS_RING, Notice } from "@/components/ui";
import { campaignTotalsForYear } from "@/server/analytics/campaign-totals";
import { getAnalyticsOperation } from "@/server/analytics/operations";
import { pagePrincipal, readListForPage, readPartForPage } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { listCampaignsOperation } from "@/server/campaigns/operations";
import { CAMPAIGN_STATUSES } from "@/server/campaigns/schemas";
import { pageQuery } from "@/server/http/page-query";

export const metadata: Metadata = { title: "Campaigns" };

const STATUS_TONE = { draft: "neutral", scheduled: "amber", sent: "blue" } as const;

function rate(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : "–";
}

export default async function CampaignsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const requested = pageQuery(await searchParams, ["status", "q", "cursor", "tagId"]);
  // A refused filter is shown with the value typed and its error; the list is read without it.
  const { data: page, query, errors } = await readListForPage(listCampaignsOperation, principal, requested);
  const otherErrors = Object.entries(errors).filter(([field]) => field !== "q" && field !== "status");
  const figures = can(principal, "analytics.read")
    ? await readPartForPage(getAnalyticsOperation, principal, { query: campaignTotalsForYear() })
    : null;
  const analytics = figures?.data;
  const byCampaign = new Map(analytics?.data.map((row) => [row.campaignId, row]));
  const basePath = `/${slug}/campaigns`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Campaigns</h1>
          <p className="text-sm text-neutral-600">
            Created and updated through the API (<code className="text-xs">/api/v1/campaigns</code>).
          </p>
        </div>
        {analytics ? (
          <dl className="flex gap-6 text-sm" aria-label="Last 365 days">
            {(["sent", "opened", "clicked"] as const).map((type) => (
              <div key={type}>
                <dt className="text-neutral-500 capitalize">{type}</dt>
                <dd className="text-lg font-semibold tabular-nums">{analytics.totals[type].toLocaleString("en")}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
      {figures?.unavailable ? <Notice tone="warning">Campaign figures are not shown for now. {figures.unavailable}</Notice> : null}

      <form key={JSON.stringify(requested)} className="flex flex-wrap items-start gap-2" action={basePath}>
        <Field label="Search by name" htmlFor="campaigns-q" errors={errors.q}>
          <input
            id="campaigns-q"
            name="q"
            defaultValue={requested.q ?? ""}
            className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm"
          />
        </Field>
        <Field label="Status" htmlFor="campaigns-status" errors={errors.status}>
          <select
            id="campaigns-status"
            name="status"
            defaultValue={requested.status ?? ""}
            className="rounded-md border border-neutral-300 bg-white px-2 py-1.5 text-sm"
          >
            <option value="">Any status</option>
            {CAMPAIGN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
            {errors.status ? <option value={requested.status}>{requested.status}</option> : null}
          </select>
        </Field>
        <button className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm hover:bg-neutral-100 sm:mt-6">Filter</button>
        {requested.q || requested.status || requested.tagId ? (
          <Link className="px-2 py-1.5 text-sm underline sm:mt-6" href={basePath}>
            Clear
          </Link>
        ) : null}
      </form>
      {otherErrors.length ? (
        <Notice tone="warning">
          Part of this link was left out: {otherErrors.map(([field, messages]) => `${field}: ${messages.join(" ")}`).join("; ")}
        </Notice>
      ) : null}

      <Card>
        {page.data.length === 0 ? (
          <p className="py-6 text-center text-sm text-neutral-600">
            No campaigns{query.q || query.status ? " match these filters" : " yet. Create one with POST /api/v1/campaigns"}.
          </p>
        ) : (
          // Focusable, so that a keyboard can scroll the table sideways on a phone.
          <div tabIndex={0} role="region" aria-label="Campaigns" className={`relative overflow-x-auto rounded ${FOCUS_RING}`}>
            <table className="w-full text-sm">
              <thead className="text-left text-neutral-500">
                <tr>
                  <th className="py-2 pr-4 font-normal">Campaign</th>
                  <th className="py-2 pr-4 font-normal">Status</th>
                  <th className="py-2 pr-4 text-right font-normal">Sent</th>
                  <th className="py-2 pr-4 text-right font-normal">Opened</th>
                  <th className="py-2 text-right font-normal">Clicked</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((campaign) => {
                  const counts = byCampaign.get(campaign.id);
                  const sent = counts?.sent ?? 0;
                  return (
                    <tr key={campaign.id} className="border-t border-neutral-100 align-top" data-testid="campaign">
                      <td className="py-3 pr-4">
                        <p className="font-medium">{campaign.name}</p>
                        <p className="text-neutral-500">{campaign.subject}</p>
                        {campaign.tags.length ? (
                          <div className="mt-1 flex flex-wrap gap-1">
                            {campaign.tags.map((tag) => (
                              <Link key={tag.id} href={`${basePath}?tagId=${tag.id}`}>
                                <TagChip name={tag.name} color={tag.color} />
                              </Link>
                            ))}
                          </div>
                        ) : null}
                      </td>
                      <td className="py-3 pr-4">
                        <Badge tone={STATUS_TONE[campaign.status]}>{campaign.status}</Badge>
                        <p className="mt-1 text-xs text-neutral-500">
                          {campaign.sentAt
                            ? `Sent ${new Date(campaign.sentAt).toLocaleString("en")}`
                            : campaign.scheduledAt
                              ? `For ${new Date(campaign.scheduledAt).toLocaleString("en")}`
                              : null}
                        </p>
                      </td>
                      <td className="py-3 pr-4 text-right tabular-nums">{sent.toLocaleString("en")}</td>
                      <td className="py-3 pr-4 text-right tabular-nums">
                        {(counts?.opened ?? 0).toLocaleString("en")}{" "}
                        <span className="text-xs text-neutral-500">{rate(counts?.opened ?? 0, sent)}</span>
                      </td>
                      <td className="py-3 text-right tabular-nums">
                        {(counts?.clicked ?? 0).toLocaleString("en")}{" "}
                        <span className="text-xs text-neutral-500">{rate(counts?.clicked ?? 0, sent)}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          basePath={basePath}
          params={{ q: query.q, status: query.status, tagId: query.tagId, cursor: query.cursor }}
          nextCursor={page.nextCursor}
        />
      </Card>
    </div>
  );
}

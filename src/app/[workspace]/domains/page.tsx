import type { Metadata } from "next";
import { Pager } from "@/components/pager";
import { Badge, Card } from "@/components/ui";
import { pagePrincipal, readForPage } from "@/server/auth/page-principal";
import { listDomainsOperation } from "@/server/domains/operations";
import { pageQuery } from "@/server/http/page-query";

export const metadata: Metadata = { title: "Domains" };

const STATUS_TONE = { pending: "amber", verified: "blue", failed: "neutral" } as const;

export default async function DomainsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const query = pageQuery(await searchParams, ["cursor"]);
  const page = await readForPage(listDomainsOperation, principal, { query });

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Domains</h1>
        <p className="text-sm text-neutral-600">
          Sending domains, added through the API (<code className="text-xs">/api/v1/domains</code>). Publish each
          domain&apos;s TXT record, then verify it with <code className="text-xs">POST /api/v1/domains/&#123;id&#125;/verify</code>.
        </p>
      </div>
      <Card>
        {page.data.length === 0 ? (
          <p className="py-6 text-center text-sm text-neutral-600">No domains yet.</p>
        ) : (
          <ul className="divide-y divide-neutral-100">
            {page.data.map((domain) => (
              <li key={domain.id} className="space-y-2 py-3" data-testid="domain">
                <div className="flex items-center gap-2">
                  <span className="font-medium">{domain.hostname}</span>
                  <Badge tone={STATUS_TONE[domain.status]}>{domain.status}</Badge>
                </div>
                <dl className="grid grid-cols-[5rem_1fr] gap-x-3 gap-y-1 text-xs">
                  <dt className="text-neutral-500">Record</dt>
                  <dd className="font-mono">{domain.verificationRecord.type} {domain.verificationRecord.name}</dd>
                  <dt className="text-neutral-500">Value</dt>
                  <dd className="font-mono break-all">{domain.verificationRecord.value}</dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
        <Pager basePath={`/${slug}/domains`} params={{ cursor: query.cursor }} nextCursor={page.nextCursor} />
      </Card>
    </div>
  );
}

import type { Metadata } from "next";
import { CopyButton } from "@/components/copy-button";
import { Pager } from "@/components/pager";
import { Badge, Card } from "@/components/ui";
import { pagePrincipal, readListForPage } from "@/server/auth/page-principal";
import { can } from "@/server/auth/principal";
import { listDomainsOperation } from "@/server/domains/operations";
import { pageQuery } from "@/server/http/page-query";
import { VerifyButton } from "./verify-button";

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
  const { data: page, query } = await readListForPage(listDomainsOperation, principal, pageQuery(await searchParams, ["cursor"]));
  const canVerify = can(principal, "domains.write");

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Domains</h1>
        <p className="text-sm text-neutral-600">
          Sending domains, added through the API (<code className="text-xs">/api/v1/domains</code>). Publish each domain&apos;s TXT record
          at your DNS provider, then press Verify (or call <code className="text-xs">POST /api/v1/domains/&#123;id&#125;/verify</code>).
        </p>
      </div>
      <Card>
        {page.data.length === 0 ? (
          <p className="py-6 text-center text-sm text-neutral-600">No domains yet. Add one with POST /api/v1/domains.</p>
        ) : (
          <ul className="divide-y divide-neutral-100">
            {page.data.map((domain) => (
              <li key={domain.id} className="space-y-3 py-4" data-testid="domain">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="flex min-w-0 items-center gap-2">
                    <span className="font-medium break-all">{domain.hostname}</span>
                    <Badge tone={STATUS_TONE[domain.status]}>{domain.status}</Badge>
                  </span>
                  {canVerify ? <VerifyButton slug={slug} domainId={domain.id} hostname={domain.hostname} /> : null}
                </div>
                <dl className="space-y-2 text-xs">
                  {(
                    [
                      ["Type", domain.verificationRecord.type, null],
                      ["Name", domain.verificationRecord.name, `Copy record name for ${domain.hostname}`],
                      ["Value", domain.verificationRecord.value, `Copy record value for ${domain.hostname}`],
                    ] as const
                  ).map(([label, value, copyName]) => (
                    <div key={label} className="grid grid-cols-[3.5rem_1fr] items-center gap-x-3 sm:grid-cols-[4rem_1fr]">
                      <dt className="text-neutral-500">{label}</dt>
                      <dd className="flex min-w-0 items-center gap-2">
                        <code className="min-w-0 flex-1 rounded bg-neutral-50 px-2 py-1 font-mono break-all">{value}</code>
                        {copyName ? <CopyButton value={value} accessibleName={copyName} className="shrink-0 px-2! py-1! text-xs!" /> : null}
                      </dd>
                    </div>
                  ))}
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

import type { Metadata } from "next";
import Link from "next/link";
import { Pager } from "@/components/pager";
import { TagChip } from "@/components/tag-chip";
import { Card } from "@/components/ui";
import { pagePrincipal, readListForPage } from "@/server/auth/page-principal";
import { pageQuery } from "@/server/http/page-query";
import { listTagsOperation } from "@/server/tags/operations";

export const metadata: Metadata = { title: "Tags" };

export default async function TagsPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace: slug } = await params;
  const principal = await pagePrincipal(slug);
  const { data: page, query } = await readListForPage(listTagsOperation, principal, pageQuery(await searchParams, ["cursor"]));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Tags</h1>
        <p className="text-sm text-neutral-600">
          Labels for campaigns, managed through the API (<code className="text-xs">/api/v1/tags</code>).
        </p>
      </div>
      <Card>
        {page.data.length === 0 ? (
          <p className="py-6 text-center text-sm text-neutral-600">No tags yet.</p>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {page.data.map((tag) => (
              <li key={tag.id} data-testid="tag">
                <Link href={`/${slug}/campaigns?tagId=${tag.id}`} title={`Campaigns tagged ${tag.name}`}>
                  <TagChip name={tag.name} color={tag.color} />
                </Link>
              </li>
            ))}
          </ul>
        )}
        <Pager basePath={`/${slug}/tags`} params={{ cursor: query.cursor }} nextCursor={page.nextCursor} />
      </Card>
    </div>
  );
}

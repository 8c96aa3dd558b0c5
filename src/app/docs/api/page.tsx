import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { INTRO_SECTIONS, Intro } from "./intro";
import { Operation } from "./operation";
import { MethodBadge } from "./parts";
import { apiReference, type TagView } from "./reference";

export const metadata: Metadata = {
  title: "API reference",
  description: "The Heyoo REST API: authentication, errors, rate limits, pagination and every operation.",
};

function Contents({ tags }: { tags: TagView[] }) {
  const link = "block rounded px-2 py-1 text-neutral-600 hover:bg-neutral-100 hover:text-neutral-900";
  return (
    <nav aria-label="Contents" className="text-sm lg:sticky lg:top-6 lg:max-h-[calc(100vh-3rem)] lg:overflow-y-auto">
      <p className="px-2 pb-1 text-xs font-semibold tracking-wide text-neutral-500 uppercase">Overview</p>
      <ul className="mb-4">
        {INTRO_SECTIONS.map((section) => (
          <li key={section.anchor}>
            <a className={link} href={`#${section.anchor}`}>
              {section.title}
            </a>
          </li>
        ))}
      </ul>
      {tags.map((tag) => (
        <div key={tag.anchor} className="mb-4">
          <a
            href={`#${tag.anchor}`}
            className="block px-2 pb-1 text-xs font-semibold tracking-wide text-neutral-500 uppercase hover:text-neutral-900"
          >
            {tag.name}
          </a>
          <ul className="hidden lg:block">
            {tag.operations.map((operation) => (
              <li key={operation.id}>
                <a className={`${link} flex items-start gap-2`} href={`#${operation.id}`}>
                  <MethodBadge method={operation.method} small />
                  <span className="leading-5">{operation.summary}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export default async function ApiReferencePage() {
  // Rendered per request, like every page here: the security policy's script nonce is per request, and a
  // page prerendered at build time would carry none (its scripts would be blocked).
  await connection();
  const tags = apiReference();

  return (
    <div className="min-h-screen">
      <header className="border-b border-neutral-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3">
          <Link href="/" className="text-lg font-bold tracking-tight">
            heyoo
          </Link>
          <span className="text-sm text-neutral-500">API reference</span>
          <a href="/api/v1/openapi.json" className="ml-auto rounded px-2 py-1 text-sm text-neutral-600 hover:bg-neutral-100">
            OpenAPI JSON
          </a>
        </div>
      </header>

      <div className="mx-auto max-w-6xl gap-10 px-4 py-8 lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
        <aside className="mb-8 lg:mb-0">
          <Contents tags={tags} />
        </aside>
        <main id="content" tabIndex={-1} className="min-w-0 space-y-14 outline-none">
          <Intro />
          {tags.map((tag) => (
            <section key={tag.anchor} id={tag.anchor} aria-labelledby={`${tag.anchor}-title`} className="scroll-mt-6 space-y-6">
              <h2 id={`${tag.anchor}-title`} className="border-b border-neutral-200 pb-2 text-xl font-semibold">
                <a href={`#${tag.anchor}`} className="hover:underline">
                  {tag.name}
                </a>
              </h2>
              {tag.operations.map((operation) => (
                <Operation key={`${operation.method} ${operation.path}`} operation={operation} />
              ))}
            </section>
          ))}
        </main>
      </div>
    </div>
  );
}

import type { ReactNode } from "react";
import { MAX_PAGE_SIZE } from "@/server/api/pagination";
import { KEY_SCOPES, describePermission } from "@/server/auth/permissions";
import { requirePermission, type Principal } from "@/server/auth/principal";
import { config } from "@/server/config";
import { AppError, ERRORS, type ErrorCode } from "@/server/http/errors";
import { errorAnchor, problemBody } from "@/server/http/problem";
import { CodeBlock, InlineCode, JsonBlock } from "./parts";

export const INTRO_SECTIONS = [
  { anchor: "authentication", title: "Authentication" },
  { anchor: "permissions", title: "Permissions" },
  { anchor: "errors", title: "Errors" },
  { anchor: "rate-limits", title: "Rate limits" },
  { anchor: "pagination", title: "Pagination" },
  { anchor: "openapi", title: "OpenAPI document" },
] as const;

type Anchor = (typeof INTRO_SECTIONS)[number]["anchor"];

function Section({ anchor, children }: { anchor: Anchor; children: ReactNode }) {
  const title = INTRO_SECTIONS.find((section) => section.anchor === anchor)?.title;
  return (
    <section id={anchor} aria-labelledby={`${anchor}-title`} className="scroll-mt-6 space-y-3">
      <h2 id={`${anchor}-title`} className="text-lg font-semibold">
        <a href={`#${anchor}`} className="hover:underline">
          {title}
        </a>
      </h2>
      <div className="space-y-3 text-sm leading-6 text-neutral-700">{children}</div>
    </section>
  );
}

/** Text with `code` spans, as the error list in problem.ts writes it. */
function withCode(text: string): ReactNode[] {
  return text.split("`").map((part, index) => (index % 2 ? <InlineCode key={index}>{part}</InlineCode> : part));
}

const EXAMPLE_REQUEST_ID = "0f6f4c1e-8a1b-4c55-9d1e-3b7a2f0c9e41";

/** The 403 exactly as the server words it, from the same function that throws it. */
function forbiddenExample() {
  const principal: Principal = {
    workspace: { id: "", slug: "", name: "" },
    user: { id: "", name: "", email: "", isMachine: false },
    role: "member",
    apiKey: { id: "", name: "", stopsAt: null, rolled: false },
    permissions: new Set(),
  };
  try {
    requirePermission(principal, "campaigns.write");
  } catch (error) {
    if (error instanceof AppError) return problemBody(error, EXAMPLE_REQUEST_ID);
  }
  return null;
}

const invalidExample = problemBody(
  new AppError("unprocessable_entity", "The query has invalid parameters.", {
    fieldErrors: { groupBy: ['Group by "day" or by "hour", not both.'] },
  }),
  EXAMPLE_REQUEST_ID,
);

export function Intro() {
  const { API_RATE_LIMIT, API_RATE_LIMIT_WINDOW_SECONDS } = config();
  const forbidden = forbiddenExample();
  return (
    <div className="space-y-10">
      <div className="space-y-3">
        <h1 className="text-2xl font-bold tracking-tight">Heyoo API reference</h1>
        <p className="max-w-3xl text-sm leading-6 text-neutral-700">
          A REST API over HTTPS with JSON bodies. Every request acts inside the one workspace its API key belongs to: another
          workspace&apos;s resources are invisible, and their ids answer <InlineCode>404</InlineCode> exactly like ids that do not exist.
          This page is generated from the same schemas that validate requests, so it cannot drift from the API.
        </p>
      </div>

      <Section anchor="authentication">
        <p>
          Create a key under <strong>Settings → API Keys</strong>; the secret is shown once. Send it on every request in the{" "}
          <InlineCode>Authorization</InlineCode> header:
        </p>
        <CodeBlock
          label="curl"
          text={`curl https://YOUR-HEYOO-HOST/api/v1/me \\\n  -H "Authorization: Bearer hey_…"`}
          copyName="Copy curl example"
        />
        <p>
          A missing, malformed, unknown, deleted or expired key gets a <InlineCode>401</InlineCode>. Keys in the URL (
          <InlineCode>?api_key=…</InlineCode>) are refused with a <InlineCode>400</InlineCode>, because URLs end up in logs: rotate a key
          you sent that way. <InlineCode>GET /api/v1/me</InlineCode> tells you which workspace a key belongs to and what it may do.
        </p>
      </Section>

      <Section anchor="permissions">
        <p>
          A key holds permissions of the form <InlineCode>resource.action</InlineCode>; <InlineCode>write</InlineCode> implies{" "}
          <InlineCode>read</InlineCode>. What a key may do is its permissions narrowed by its owner&apos;s role, checked on every request.
          Each operation below names the permission it needs.
        </p>
        <div tabIndex={0} className="overflow-x-auto rounded-md border border-neutral-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-neutral-50 text-xs text-neutral-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Permission
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Allows the key to
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {KEY_SCOPES.map((scope) => (
                <tr key={scope}>
                  <td className="px-3 py-1.5">
                    <code className="font-mono text-xs">{scope}</code>
                  </td>
                  <td className="px-3 py-1.5">{describePermission(scope)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section anchor="errors">
        <p>
          Errors are <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a> problem details, sent as{" "}
          <InlineCode>application/problem+json</InlineCode>. Branch on <InlineCode>code</InlineCode>, a stable machine-readable name;{" "}
          <InlineCode>detail</InlineCode> is for people. A <InlineCode>403</InlineCode> names the permission that would allow the request in{" "}
          <InlineCode>requiredPermission</InlineCode>; a <InlineCode>422</InlineCode> lists the failing fields in{" "}
          <InlineCode>errors</InlineCode>. Quote <InlineCode>requestId</InlineCode> (also the <InlineCode>X-Request-Id</InlineCode> header)
          when you contact support.
        </p>
        <div className="space-y-3">
          {forbidden ? <JsonBlock label="403 Forbidden" value={forbidden} /> : null}
          <JsonBlock label="422 Unprocessable Content" value={invalidExample} />
        </div>
        <p>
          Each problem&apos;s <InlineCode>type</InlineCode> links to its code below, on this server. A method a path does not answer gets a{" "}
          <InlineCode>405</InlineCode> with the allowed ones in <InlineCode>Allow</InlineCode>; a path with dot segments (
          <InlineCode>..</InlineCode>, <InlineCode>%2e%2e</InlineCode>) a <InlineCode>404</InlineCode>.
        </p>
        <div className="overflow-x-auto rounded-md border border-neutral-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-neutral-50 text-xs text-neutral-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Code
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Meaning
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  What to do
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {(Object.entries(ERRORS) as [ErrorCode, (typeof ERRORS)[ErrorCode]][]).map(([code, { status, title, meaning, action }]) => (
                <tr key={code} id={errorAnchor(code)} className="scroll-mt-6 align-top target:bg-amber-50">
                  <td className="px-3 py-1.5">
                    <a href={`#${errorAnchor(code)}`} className="font-mono text-xs hover:underline">
                      {code}
                    </a>
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs text-neutral-600">
                    {status} {title}
                  </td>
                  <td className="px-3 py-1.5">{withCode(meaning)}</td>
                  <td className="px-3 py-1.5">{withCode(action)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section anchor="rate-limits">
        <p>
          Each key may make {API_RATE_LIMIT} requests per {API_RATE_LIMIT_WINDOW_SECONDS} seconds on this server. Every answer says where
          you stand, in the IETF <InlineCode>RateLimit</InlineCode> header fields:
        </p>
        <CodeBlock
          label="Response headers"
          text={`RateLimit-Policy: "default";q=${API_RATE_LIMIT};w=${API_RATE_LIMIT_WINDOW_SECONDS}\nRateLimit: "default";r=${API_RATE_LIMIT - 1};t=${API_RATE_LIMIT_WINDOW_SECONDS}`}
        />
        <p>
          <InlineCode>q</InlineCode> is the quota, <InlineCode>w</InlineCode> the window in seconds, <InlineCode>r</InlineCode> the requests
          left and <InlineCode>t</InlineCode> the seconds until the window resets. Past the limit the answer is a{" "}
          <InlineCode>429</InlineCode> with <InlineCode>Retry-After</InlineCode> in seconds: wait that long before you retry.
        </p>
      </Section>

      <Section anchor="pagination">
        <p>
          Lists are paginated with a cursor, newest first. Pass <InlineCode>limit</InlineCode> (1 to {MAX_PAGE_SIZE}, default 25) and read{" "}
          <InlineCode>nextCursor</InlineCode> from the answer; send it back as <InlineCode>cursor</InlineCode> for the next page. A{" "}
          <InlineCode>null</InlineCode> <InlineCode>nextCursor</InlineCode> means the last page. Items created while you page never shift
          the pages you have not read.
        </p>
        <JsonBlock label="GET /api/v1/…?limit=25&cursor=…" value={{ data: ["…"], nextCursor: "MjAyNi0xMS0wMVQwOTozMDowMC4wMDBafGNtM2s" }} />
      </Section>

      <Section anchor="openapi">
        <p>
          The machine-readable{" "}
          <a href="/api/v1/openapi.json" className="font-medium underline">
            OpenAPI 3.1 document
          </a>{" "}
          at <InlineCode>/api/v1/openapi.json</InlineCode> describes every operation on this page; it needs no key. Feed it to a client
          generator or an API tool.
        </p>
      </Section>
    </div>
  );
}

import { describePermission, isPermission } from "@/server/auth/permissions";
import { FieldsTable, Heading, InlineCode, JsonBlock, MethodBadge, RichText } from "./parts";
import type { OperationView } from "./reference";

function Permission({ permission, isPublic }: { permission: string | null; isPublic: boolean }) {
  if (isPublic) return <p className="text-sm text-neutral-600">Public: no API key or session.</p>;
  if (!permission) return <p className="text-sm text-neutral-600">Any valid API key.</p>;
  return (
    <p className="text-sm text-neutral-600">
      Requires <InlineCode>{permission}</InlineCode>
      {isPermission(permission) ? <> — {describePermission(permission)}.</> : null}
    </p>
  );
}

export function Operation({ operation }: { operation: OperationView }) {
  const { request, response } = operation;
  return (
    <section
      id={operation.id}
      aria-labelledby={`${operation.id}-title`}
      className="scroll-mt-6 rounded-lg border border-neutral-200 bg-white shadow-xs"
    >
      <header className="space-y-2 border-b border-neutral-200 px-5 py-4">
        <h3 id={`${operation.id}-title`} className="text-base font-semibold">
          <a href={`#${operation.id}`} className="hover:underline">
            {operation.summary}
          </a>
        </h3>
        <p className="flex flex-wrap items-center gap-2">
          <MethodBadge method={operation.method} />
          <code className="font-mono text-sm break-all text-neutral-900">{operation.path}</code>
        </p>
        <Permission permission={operation.permission} isPublic={operation.isPublic} />
      </header>

      <div className="space-y-6 px-5 py-5">
        {operation.description.length ? (
          <div className="space-y-2 text-sm leading-6 text-neutral-700">
            {operation.description.map((paragraph) => (
              <p key={paragraph}>
                <RichText text={paragraph} />
              </p>
            ))}
          </div>
        ) : null}

        {operation.parameters.length ? (
          <div className="space-y-2">
            <Heading>Parameters</Heading>
            <FieldsTable fields={operation.parameters} showLocation />
          </div>
        ) : null}

        {request ? (
          <div className="space-y-2">
            <Heading>
              Request body <span className="font-normal text-neutral-500">application/json</span>
            </Heading>
            {request.fields.length ? <FieldsTable fields={request.fields} /> : null}
            {request.example !== undefined ? (
              <JsonBlock label="Example request" value={request.example} copyName={`Copy example request of ${operation.summary}`} />
            ) : null}
          </div>
        ) : null}

        <div className="space-y-2">
          <Heading>
            Response{" "}
            <span className="font-normal text-neutral-500">
              {response ? `${response.status} ${response.description}` : "204 No content"}
            </span>
          </Heading>
          {response?.example !== undefined ? (
            <JsonBlock
              label={`Example ${response.status} response`}
              value={response.example}
              copyName={`Copy example response of ${operation.summary}`}
            />
          ) : null}
          {response?.fields.length ? (
            <details className="group rounded-md border border-neutral-200">
              <summary className="cursor-pointer px-3 py-2 text-sm text-neutral-700 select-none hover:bg-neutral-50">
                Response fields
              </summary>
              <div className="border-t border-neutral-200 p-2">
                <FieldsTable fields={response.fields} />
              </div>
            </details>
          ) : null}
        </div>

        <div className="space-y-2">
          <Heading>Errors</Heading>
          <dl className="grid grid-cols-[3rem_1fr] gap-x-3 gap-y-1 text-sm">
            {operation.errors.map((error) => (
              <div key={error.status} className="contents">
                <dt className="font-mono text-neutral-900">{error.status}</dt>
                <dd className="text-neutral-600">
                  <RichText text={error.description} />
                </dd>
              </div>
            ))}
          </dl>
          <p className="text-xs text-neutral-500">
            As <InlineCode>application/problem+json</InlineCode>; see{" "}
            <a href="#errors" className="underline">
              Errors
            </a>
            .
          </p>
        </div>
      </div>
    </section>
  );
}

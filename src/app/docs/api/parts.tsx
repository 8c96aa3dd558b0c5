import type { ReactNode } from "react";
import { CopyButton } from "@/components/copy-button";
import type { Field } from "./reference";

/** Descriptions use Markdown's `inline code`, nothing more: render that, leave the rest as text. */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/(`[^`]+`)/g)
        .map((part, index) =>
          part.startsWith("`") && part.endsWith("`") && part.length > 1 ? <InlineCode key={index}>{part.slice(1, -1)}</InlineCode> : part,
        )}
    </>
  );
}

export function InlineCode({ children }: { children: ReactNode }) {
  return <code className="rounded bg-neutral-100 px-1 py-0.5 font-mono text-[0.85em] text-neutral-800">{children}</code>;
}

const METHOD_TONES: Record<string, string> = {
  GET: "bg-blue-50 text-blue-700 ring-blue-200",
  POST: "bg-green-50 text-green-700 ring-green-200",
  PUT: "bg-amber-50 text-amber-800 ring-amber-200",
  PATCH: "bg-amber-50 text-amber-800 ring-amber-200",
  DELETE: "bg-red-50 text-red-700 ring-red-200",
};

export function MethodBadge({ method, small = false }: { method: string; small?: boolean }) {
  const size = small ? "w-12 text-[0.65rem]" : "px-2 text-xs";
  return (
    <span
      className={`inline-flex shrink-0 justify-center rounded py-0.5 font-mono font-semibold ring-1 ring-inset ${size} ${METHOD_TONES[method] ?? "bg-neutral-100 text-neutral-700 ring-neutral-200"}`}
    >
      {method}
    </span>
  );
}

// Keys, strings, numbers and literals of pretty-printed JSON, coloured on the server: no script needed.
const JSON_TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function highlight(json: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  for (const match of json.matchAll(JSON_TOKEN)) {
    const index = match.index;
    if (index > last) nodes.push(json.slice(last, index));
    const [token, string, colon] = match;
    if (string && colon) {
      nodes.push(
        <span key={index} className="text-sky-300">
          {string}
        </span>,
        colon,
      );
    } else {
      const tone = string ? "text-emerald-300" : /^[tfn]/.test(token) ? "text-violet-300" : "text-amber-300";
      nodes.push(
        <span key={index} className={tone}>
          {token}
        </span>,
      );
    }
    last = index + token.length;
  }
  nodes.push(json.slice(last));
  return nodes;
}

/** A code block with a Copy button; `text` is what is copied (the children may be highlighted nodes). */
export function CodeBlock({ label, text, copyName, children }: { label?: string; text: string; copyName?: string; children?: ReactNode }) {
  return (
    <figure className="overflow-hidden rounded-md border border-neutral-800 bg-neutral-900">
      <figcaption className="flex min-h-9 items-center justify-between gap-2 border-b border-neutral-800 py-1 pr-1.5 pl-4 font-mono text-xs text-neutral-400">
        <span className="min-w-0 break-all">{label}</span>
        <CopyButton
          value={text}
          accessibleName={copyName ?? `Copy ${label ?? "code"}`}
          className="shrink-0 border-neutral-700! bg-neutral-800! px-2! py-0.5! text-xs! text-neutral-100! hover:bg-neutral-700!"
        />
      </figcaption>
      <pre tabIndex={0} className="overflow-x-auto p-4 font-mono text-xs leading-relaxed text-neutral-100">
        <code>{children ?? text}</code>
      </pre>
    </figure>
  );
}

export function JsonBlock({ value, label, copyName }: { value: unknown; label?: string; copyName?: string }) {
  const json = JSON.stringify(value, null, 2);
  return (
    <CodeBlock label={label} text={json} copyName={copyName}>
      {highlight(json)}
    </CodeBlock>
  );
}

export function Heading({ children }: { children: ReactNode }) {
  return <h4 className="text-sm font-semibold text-neutral-900">{children}</h4>;
}

export function FieldsTable({ fields, showLocation = false }: { fields: (Field & { location?: string })[]; showLocation?: boolean }) {
  return (
    <div tabIndex={0} className="overflow-x-auto rounded-md border border-neutral-200">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <thead className="bg-neutral-50 text-xs text-neutral-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            {showLocation ? (
              <th scope="col" className="px-3 py-2 font-medium">
                In
              </th>
            ) : null}
            <th scope="col" className="px-3 py-2 font-medium">
              Type
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100 align-top">
          {fields.map((field) => (
            <tr key={`${field.location ?? ""}${field.name}`}>
              <td className="px-3 py-2 whitespace-nowrap">
                <code className="font-mono text-xs font-medium text-neutral-900">{field.name}</code>
                {field.required ? <span className="ml-1.5 text-xs text-red-700">required</span> : null}
              </td>
              {showLocation ? <td className="px-3 py-2 text-xs text-neutral-600">{field.location}</td> : null}
              <td className="max-w-56 px-3 py-2 font-mono text-xs break-words text-neutral-700">{field.type}</td>
              <td className="px-3 py-2 text-neutral-700">
                {field.description ? <RichText text={field.description} /> : null}
                {field.constraints ? <span className="block text-xs text-neutral-500">{field.constraints}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

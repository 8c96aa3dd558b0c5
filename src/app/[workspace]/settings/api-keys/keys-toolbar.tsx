"use client";

import Form from "next/form";
import Link from "next/link";
import { useId } from "react";
import { KEY_KINDS, KEY_KIND_LABELS } from "@/server/auth/permissions";
import { SORT_LABELS, type ListQuery } from "./shared";

const CONTROL =
  "rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm text-neutral-900 outline-none focus:border-neutral-900 focus:ring-1 focus:ring-neutral-900";

/**
 * Search, filters and sort of the keys list, as a GET form: the state lives in the URL (shareable, Back and
 * Forward work) and a new filter starts again at the first page, since the form carries no cursor. Choosing
 * in a select applies it at once; the search applies on Enter or the Search button.
 */
export function KeysToolbar({
  basePath,
  query,
  owners,
  currentUserId,
}: {
  basePath: string;
  query: ListQuery;
  owners: { id: string; name: string }[];
  currentUserId: string;
}) {
  const id = useId();
  const submit = (event: React.ChangeEvent<HTMLSelectElement>) => event.currentTarget.form?.requestSubmit();
  const filtered = Boolean(query.q || query.kind || query.owner || query.sort !== "created");

  return (
    <Form action={basePath} role="search" aria-label="API keys" className="flex flex-wrap items-end gap-2">
      <div className="flex min-w-0 flex-[1_1_12rem] flex-col gap-1">
        <label htmlFor={`${id}-q`} className="text-xs font-medium text-neutral-600">
          Name
        </label>
        <input
          id={`${id}-q`}
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          maxLength={64}
          placeholder="Search by name"
          className={CONTROL}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-kind`} className="text-xs font-medium text-neutral-600">
          Kind
        </label>
        <select id={`${id}-kind`} name="kind" defaultValue={query.kind ?? ""} onChange={submit} className={CONTROL}>
          <option value="">Any kind</option>
          {KEY_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KEY_KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-owner`} className="text-xs font-medium text-neutral-600">
          Owner
        </label>
        <select id={`${id}-owner`} name="owner" defaultValue={query.owner ?? ""} onChange={submit} className={CONTROL}>
          <option value="">Anyone</option>
          <option value="machine">Machine users</option>
          {owners.map((owner) => (
            <option key={owner.id} value={owner.id}>
              {owner.id === currentUserId ? `${owner.name} (you)` : owner.name}
            </option>
          ))}
          {query.owner && query.owner !== "machine" && !owners.some((owner) => owner.id === query.owner) ? (
            <option value={query.owner}>Someone without keys</option>
          ) : null}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-sort`} className="text-xs font-medium text-neutral-600">
          Sort
        </label>
        <select id={`${id}-sort`} name="sort" defaultValue={query.sort} onChange={submit} className={CONTROL}>
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-neutral-100">
        Search
      </button>
      {filtered ? (
        <Link href={basePath} className="rounded px-2 py-1.5 text-sm underline underline-offset-2">
          Clear
        </Link>
      ) : null}
    </Form>
  );
}

"use client";

import Link from "next/link";
import { useState } from "react";
import { Pager } from "@/components/pager";
import { ClockProvider, RelativeTime, useClock } from "@/components/relative-time";
import { Badge, Button, Notice } from "@/components/ui";
import { CreateKeyDialog } from "./create-key-dialog";
import { DeleteKeyDialog } from "./delete-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import type { ApiKey } from "@/server/api-keys/schemas";
import { Expiry, LastUsed } from "./key-times";
import { KeyState, canRoll } from "./key-state";
import { KeysToolbar } from "./keys-toolbar";
import { RollKeyDialog } from "./roll-key-dialog";
import { StopKeyDialog } from "./stop-key-dialog";
import { mayChangeKey, permissionsSummary, type ListQuery } from "./shared";

/**
 * The open dialog, with the key as it was when the dialog opened: the list refreshes after a change, and a
 * roll's reveal must stay open even when the new key pushes the old one onto the next page.
 */
type Dialog = { type: "create" } | { type: "edit" | "delete" | "roll" | "stop"; key: ApiKey } | null;

/** The row's IP allowlist: the first entries, and how many more. */
function Allowlist({ entries }: { entries: string[] }) {
  if (!entries.length) return null;
  const shown = entries.slice(0, 2);
  return (
    <span data-testid="allowlist" className="mt-1 block text-xs text-neutral-600 [overflow-wrap:anywhere]">
      Only from{" "}
      {shown.map((entry, index) => (
        // Lines break between entries, never inside one or before its comma.
        <span key={entry}>
          {index > 0 ? " " : null}
          <span className="font-mono whitespace-nowrap">
            {entry}
            {index < shown.length - 1 ? "," : null}
          </span>
        </span>
      ))}
      {entries.length > shown.length ? ` and ${entries.length - shown.length} more` : ""}
    </span>
  );
}

/** A cell's column name, shown where the rows are cards (below lg); the table header says it above. */
function CellLabel({ children }: { children: string }) {
  return <span className="mb-0.5 block text-xs text-neutral-500 lg:hidden">{children}</span>;
}

const SORTED_COLUMN = { created: "Created", last_used: "Last used", expires: "Expires" } as const;

export function ApiKeysManager({ serverNow, ...props }: Parameters<typeof KeysList>[0] & { serverNow: string }) {
  return (
    <ClockProvider serverNow={serverNow}>
      <KeysList {...props} />
    </ClockProvider>
  );
}

function KeysList({
  slug,
  keys,
  nextCursor,
  query,
  owners,
  currentUserId,
  canWrite,
  canManageAll,
  canCreateMachine,
  heldScopes,
}: {
  slug: string;
  keys: ApiKey[];
  nextCursor: string | null;
  query: ListQuery;
  owners: { id: string; name: string }[];
  currentUserId: string;
  canWrite: boolean;
  canManageAll: boolean;
  canCreateMachine: boolean;
  heldScopes: string[];
}) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const { now } = useClock();
  const open = (next: Dialog) => {
    setFlash(null);
    setDialog(next);
  };
  const close = () => setDialog(null);
  const done = (message: string) => {
    setDialog(null);
    setFlash(message);
  };

  const basePath = `/${slug}/settings/api-keys`;
  const narrowed = Boolean(query.q || query.kind || query.owner || query.cursor);
  const empty = keys.length === 0 && !narrowed;
  const canManage = (key: ApiKey) => mayChangeKey({ userId: currentUserId, canWrite, canManageAll }, key);
  const selected = dialog && dialog.type !== "create" ? dialog.key : undefined;
  // A roll's two keys are usually on the same page (the replacement right above the old key).
  const partialKeyOf = (id: string) => keys.find((key) => key.id === id)?.partialKey;
  const createButton = canWrite ? (
    <Button type="button" onClick={() => open({ type: "create" })}>
      Create API key
    </Button>
  ) : null;

  return (
    <>
      {/* While a dialog is open, the page behind it can't be reached by keyboard, pointer or screen reader. */}
      <div inert={dialog !== null} aria-hidden={dialog !== null || undefined} className="space-y-4">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="max-w-xl">
            <h2 className="text-lg font-semibold">API Keys</h2>
            <p className="mt-1 text-sm text-neutral-600">
              Keys let other apps use the Heyoo API for this workspace. Send one as{" "}
              <code className="rounded bg-neutral-100 px-1 font-mono text-xs">Authorization: Bearer hey_…</code>
            </p>
          </div>
          {empty ? null : createButton}
        </div>

        {flash ? <Notice tone="success">{flash}</Notice> : null}

        {empty ? null : (
          <KeysToolbar key={JSON.stringify(query)} basePath={basePath} query={query} owners={owners} currentUserId={currentUserId} />
        )}

        {keys.length === 0 && narrowed ? (
          <p role="status" className="rounded-lg border border-dashed border-neutral-300 px-6 py-8 text-center text-sm text-neutral-600">
            No keys match these filters.
          </p>
        ) : empty ? (
          <section className="rounded-lg border border-dashed border-neutral-300 bg-white px-6 py-10 text-center">
            <h3 className="text-base font-semibold">No API keys yet</h3>
            <p className="mx-auto mt-2 max-w-md text-sm text-neutral-600">
              API keys allow other apps to access this workspace programmatically, to integrate Heyoo with your other tools and services.
              Each key is tied to this workspace only and can&apos;t reach any other.
            </p>
            <p className="mx-auto mt-2 max-w-md text-sm text-neutral-600">
              Give each key the least privilege it needs: choose Read only or Restricted when a key doesn&apos;t need full access.
            </p>
            {createButton ? <div className="mt-5">{createButton}</div> : null}
          </section>
        ) : (
          // contain:inline-size keeps a wide table from stretching the settings column: it scrolls instead.
          <div
            tabIndex={0}
            role="region"
            aria-label="API keys"
            className="relative overflow-x-auto rounded-lg border border-neutral-200 bg-white text-neutral-900 shadow-xs [contain:inline-size]"
          >
            <table className="block w-full text-left text-sm lg:table">
              <thead className="hidden border-b border-neutral-200 bg-neutral-50 text-xs text-neutral-500 lg:table-header-group">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Permissions
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Owner
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium" aria-sort={query.sort === "created" ? "descending" : undefined}>
                    {SORTED_COLUMN.created}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium" aria-sort={query.sort === "last_used" ? "descending" : undefined}>
                    {SORTED_COLUMN.last_used}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium" aria-sort={query.sort === "expires" ? "ascending" : undefined}>
                    {SORTED_COLUMN.expires}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="block divide-y divide-neutral-100 lg:table-row-group">
                {keys.map((key) => {
                  const nameId = `api-key-${key.id}-name`;
                  return (
                    <tr
                      key={key.id}
                      data-testid="api-key"
                      className="grid grid-cols-2 gap-x-4 gap-y-3 px-4 py-3 align-top lg:table-row lg:p-0"
                    >
                      <td className="col-span-2 lg:min-w-40 lg:px-3 lg:py-3">
                        {/* The name links to the key's own page: its usage and the permissions it does not use. */}
                        <span id={nameId} className="block font-medium">
                          <Link
                            href={`${basePath}/${key.id}`}
                            className="underline decoration-neutral-400 underline-offset-2 hover:decoration-neutral-900"
                          >
                            {key.name}
                          </Link>
                        </span>
                        <code data-testid="partial-key" className="font-mono text-xs whitespace-nowrap text-neutral-500">
                          {key.partialKey}
                        </code>
                        <KeyState
                          apiKey={key}
                          partialKeyOf={partialKeyOf}
                          describedBy={nameId}
                          onStop={canManage(key) ? () => open({ type: "stop", key }) : undefined}
                        />
                      </td>
                      <td className="text-neutral-700 lg:px-3 lg:py-3">
                        <CellLabel>Permissions</CellLabel>
                        {permissionsSummary(key.kind, key.permissions)}
                        <Allowlist entries={key.ipAllowlist} />
                      </td>
                      <td className="lg:px-3 lg:py-3">
                        <CellLabel>Owner</CellLabel>
                        <span className="flex flex-wrap items-center gap-1.5">
                          {key.owner.type === "machine" ? <Badge tone="blue">Machine</Badge> : null}
                          {/* A long name wraps (names are up to 100 characters): it must not push the actions out of view. */}
                          <span className="break-words">{key.owner.name}</span>
                          {key.owner.id === currentUserId ? <Badge>You</Badge> : null}
                        </span>
                      </td>
                      <td className="whitespace-nowrap text-neutral-700 lg:px-3 lg:py-3">
                        <CellLabel>Created</CellLabel>
                        <RelativeTime iso={key.createdAt} />
                      </td>
                      <td className="whitespace-nowrap text-neutral-700 lg:px-3 lg:py-3">
                        <CellLabel>Last used</CellLabel>
                        <span data-testid="last-used">
                          <LastUsed iso={key.lastUsedAt} />
                        </span>
                      </td>
                      <td className="col-span-2 whitespace-nowrap text-neutral-700 lg:px-3 lg:py-3">
                        <CellLabel>Expires</CellLabel>
                        <span data-testid="expires">
                          <Expiry iso={key.expiresAt} />
                        </span>
                      </td>
                      <td className="col-span-2 -mx-2 whitespace-nowrap lg:mx-0 lg:px-3 lg:py-2">
                        {canManage(key) ? (
                          // Where the columns are narrow the actions wrap, leaving the name and its state their room;
                          // from 1280 px there is room for them on one line.
                          <span className="flex flex-wrap gap-1 lg:justify-end xl:flex-nowrap">
                            <Button
                              type="button"
                              variant="ghost"
                              className="px-2! py-1!"
                              aria-describedby={nameId}
                              onClick={() => open({ type: "edit", key })}
                            >
                              Edit
                            </Button>
                            {canRoll(key, now) ? (
                              <Button
                                type="button"
                                variant="ghost"
                                className="px-2! py-1!"
                                aria-describedby={nameId}
                                onClick={() => open({ type: "roll", key })}
                              >
                                Roll key…
                              </Button>
                            ) : null}
                            <Button
                              type="button"
                              variant="ghost"
                              className="px-2! py-1! text-red-700 hover:bg-red-50"
                              aria-describedby={nameId}
                              onClick={() => open({ type: "delete", key })}
                            >
                              Delete
                            </Button>
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {empty ? null : (
          <Pager
            basePath={basePath}
            params={{ ...query, sort: query.sort === "created" ? undefined : query.sort }}
            nextCursor={nextCursor}
          />
        )}
      </div>

      {dialog?.type === "create" ? (
        <CreateKeyDialog slug={slug} heldScopes={heldScopes} canCreateMachine={canCreateMachine} onClose={close} />
      ) : null}
      {dialog?.type === "edit" && selected ? (
        <EditKeyDialog slug={slug} apiKey={selected} heldScopes={heldScopes} onClose={close} onSaved={done} />
      ) : null}
      {dialog?.type === "delete" && selected ? <DeleteKeyDialog slug={slug} apiKey={selected} onClose={close} onDeleted={done} /> : null}
      {dialog?.type === "roll" && selected ? <RollKeyDialog slug={slug} apiKey={selected} onClose={close} /> : null}
      {dialog?.type === "stop" && selected ? (
        <StopKeyDialog
          slug={slug}
          apiKey={selected}
          replacement={selected.roll?.replacedBy ? partialKeyOf(selected.roll.replacedBy.id) : undefined}
          onClose={close}
          onStopped={done}
        />
      ) : null}
    </>
  );
}

"use client";

import { useState } from "react";
import { Badge, Button, Notice } from "@/components/ui";
import type { ApiKeyView } from "@/server/api-keys/serialize";
import { CreateKeyDialog } from "./create-key-dialog";
import { DeleteKeyDialog } from "./delete-key-dialog";
import { EditKeyDialog } from "./edit-key-dialog";
import { permissionsSummary } from "./shared";

type Dialog = { type: "create" } | { type: "edit"; id: string } | { type: "delete"; id: string } | null;

function isPast(iso: string): boolean {
  return new Date(iso).getTime() <= Date.now();
}

/** A date as the browser's locale shows it; the server's rendering may differ in locale or time zone. */
function DateText({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} suppressHydrationWarning>
      {new Date(iso).toLocaleDateString()}
    </time>
  );
}

export function ApiKeysManager({
  slug,
  keys,
  currentUserId,
  canWrite,
  canManageAll,
  canCreateMachine,
  heldScopes,
}: {
  slug: string;
  keys: ApiKeyView[];
  currentUserId: string;
  canWrite: boolean;
  canManageAll: boolean;
  canCreateMachine: boolean;
  heldScopes: string[];
}) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const open = (next: Dialog) => {
    setFlash(null);
    setDialog(next);
  };
  const close = () => setDialog(null);
  const done = (message: string) => {
    setDialog(null);
    setFlash(message);
  };

  const canManage = (key: ApiKeyView) => canWrite && (canManageAll || key.owner.id === currentUserId);
  const selected = dialog && dialog.type !== "create" ? keys.find((key) => key.id === dialog.id) : undefined;
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
          {keys.length ? createButton : null}
        </div>

        {flash ? <Notice tone="success">{flash}</Notice> : null}

        {keys.length === 0 ? (
          <section className="rounded-lg border border-dashed border-neutral-300 bg-white px-6 py-10 text-center">
            <h3 className="text-base font-semibold">No API keys yet</h3>
            <p className="mx-auto mt-2 max-w-md text-sm text-neutral-600">
              API keys allow other apps to access this workspace programmatically, to integrate Heyoo with your other tools and services. Each
              key is tied to this workspace only and can&apos;t reach any other.
            </p>
            <p className="mx-auto mt-2 max-w-md text-sm text-neutral-600">
              Give each key the least privilege it needs: choose Read only or Restricted when a key doesn&apos;t need full access.
            </p>
            {createButton ? <div className="mt-5">{createButton}</div> : null}
          </section>
        ) : (
          // contain:inline-size keeps a wide table from stretching the settings column: it scrolls instead.
          <div tabIndex={0} role="region" aria-label="API keys" className="relative overflow-x-auto rounded-lg border border-neutral-200 bg-white shadow-xs [contain:inline-size]">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-neutral-200 bg-neutral-50 text-xs text-neutral-500">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Name</th>
                  <th scope="col" className="px-3 py-2 font-medium">Permissions</th>
                  <th scope="col" className="px-3 py-2 font-medium">Owner</th>
                  <th scope="col" className="px-3 py-2 font-medium">Created</th>
                  <th scope="col" className="px-3 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-3 py-2 font-medium">Expires</th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-100">
                {keys.map((key) => {
                  const nameId = `api-key-${key.id}-name`;
                  return (
                    <tr key={key.id} data-testid="api-key" className="align-top">
                      <td className="px-3 py-3">
                        <span id={nameId} className="block font-medium">
                          {key.name}
                        </span>
                        <code className="font-mono text-xs whitespace-nowrap text-neutral-500">
                          {key.partialKey}
                        </code>
                      </td>
                      <td className="px-3 py-3 text-neutral-700">{permissionsSummary(key.kind, key.permissions)}</td>
                      <td className="px-3 py-3">
                        <span className="flex flex-wrap items-center gap-1.5">
                          {key.owner.type === "machine" ? <Badge tone="blue">Machine</Badge> : null}
                          <span className="whitespace-nowrap">{key.owner.name}</span>
                          {key.owner.id === currentUserId ? <Badge>You</Badge> : null}
                        </span>
                      </td>
                      <td className="px-3 py-3 whitespace-nowrap text-neutral-700">
                        <DateText iso={key.createdAt} />
                      </td>
                      <td className="px-3 py-3 whitespace-nowrap text-neutral-700">{key.lastUsedAt ? <DateText iso={key.lastUsedAt} /> : "Never"}</td>
                      <td className="px-3 py-3 whitespace-nowrap text-neutral-700">
                        {key.expiresAt === null ? (
                          "Never"
                        ) : isPast(key.expiresAt) ? (
                          <span className="font-medium text-red-600" title={new Date(key.expiresAt).toLocaleString()} suppressHydrationWarning>
                            Expired
                          </span>
                        ) : (
                          <DateText iso={key.expiresAt} />
                        )}
                      </td>
                      <td className="px-3 py-2 text-right whitespace-nowrap">
                        {canManage(key) ? (
                          <span className="inline-flex gap-1">
                            <Button type="button" variant="ghost" className="px-2! py-1!" aria-describedby={nameId} onClick={() => open({ type: "edit", id: key.id })}>
                              Edit
                            </Button>
                            <Button
                              type="button"
                              variant="ghost"
                              className="px-2! py-1! text-red-700 hover:bg-red-50"
                              aria-describedby={nameId}
                              onClick={() => open({ type: "delete", id: key.id })}
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
      </div>

      {dialog?.type === "create" ? (
        <CreateKeyDialog slug={slug} heldScopes={heldScopes} canCreateMachine={canCreateMachine} onClose={close} />
      ) : null}
      {dialog?.type === "edit" && selected ? (
        <EditKeyDialog slug={slug} apiKey={selected} heldScopes={heldScopes} onClose={close} onSaved={done} />
      ) : null}
      {dialog?.type === "delete" && selected ? <DeleteKeyDialog slug={slug} apiKey={selected} onClose={close} onDeleted={done} /> : null}
    </>
  );
}

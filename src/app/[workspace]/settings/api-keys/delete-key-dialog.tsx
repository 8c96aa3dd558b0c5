"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import type { ApiKey } from "@/server/api-keys/schemas";
import { deleteApiKeyAction } from "./actions";

/** Delete a key, through the one confirm dialog of every destructive action. */
export function DeleteKeyDialog({
  slug,
  apiKey,
  onClose,
  onDeleted,
}: {
  slug: string;
  apiKey: ApiKey;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const machine = apiKey.owner.type === "machine";
  return (
    <ConfirmDialog
      title="Delete API key"
      confirmLabel="Delete"
      action={() => deleteApiKeyAction(slug, apiKey.id)}
      onClose={onClose}
      onDone={() => onDeleted(`Deleted “${apiKey.name}”.`)}
      description={
        <>
          <p>
            Delete <span className="font-medium text-neutral-900">{apiKey.name}</span> (
            <code className="font-mono text-xs">{apiKey.partialKey}</code>)? Apps using this key stop working immediately. This cannot be
            undone.
          </p>
          {machine ? (
            <p>
              The machine user <span className="font-medium text-neutral-900">{apiKey.owner.name}</span> that owns this key is deleted with
              it.
            </p>
          ) : null}
        </>
      }
    />
  );
}

"use client";

import { useId, useState, useTransition } from "react";
import { Button, Notice } from "@/components/ui";
import { deleteApiKeyAction } from "./actions";
import { UNEXPECTED } from "./form-errors";
import { DialogLayout, Modal } from "@/components/modal";
import type { ApiKey } from "@/server/api-keys/schemas";

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
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const machine = apiKey.owner.type === "machine";

  function confirm() {
    startTransition(async () => {
      try {
        const result = await deleteApiKeyAction(slug, apiKey.id);
        if (result.ok) onDeleted(`Deleted “${apiKey.name}”.`);
        else setError(result.message);
      } catch {
        setError(UNEXPECTED.message);
      }
    });
  }

  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-description`} onClose={onClose} canClose={!pending}>
      <DialogLayout
        titleId={`${id}-title`}
        title="Delete API key"
        footer={
          <>
            <Button type="button" variant="ghost" onClick={onClose} disabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button type="button" variant="danger" onClick={confirm} disabled={pending}>
              Delete
            </Button>
          </>
        }
      >
        <div id={`${id}-description`} className="space-y-2 text-sm text-neutral-700">
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
        </div>
        {error ? <Notice>{error}</Notice> : null}
      </DialogLayout>
    </Modal>
  );
}

"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui";
import { restrictApiKeyAction } from "../actions";

export interface PermissionLine {
  permission: string;
  description: string;
}

function PermissionList({ label, lines }: { label: string; lines: PermissionLine[] }) {
  return (
    <ul aria-label={label} className="space-y-0.5">
      {lines.map((line) => (
        <li key={line.permission}>
          <code className="font-mono text-xs text-neutral-900">{line.permission}</code>{" "}
          <span className="text-neutral-600">({line.description})</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * "Restrict to what it uses": the confirmation shows the set the key keeps and what it loses, as previewed by
 * the usage advice, and sends that very set, so what was shown is what is applied (the server refuses it if
 * the key's permissions changed meanwhile). The page refreshes with the key's new permissions.
 */
export function RestrictKey({
  slug,
  keyId,
  keyName,
  keep,
  remove,
}: {
  slug: string;
  keyId: string;
  keyName: string;
  keep: PermissionLine[];
  remove: PermissionLine[];
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="button" variant="secondary" onClick={() => setOpen(true)}>
        Restrict to what it uses
      </Button>
      {open ? (
        <ConfirmDialog
          title="Restrict this key to what it uses?"
          confirmLabel="Restrict key"
          action={() =>
            restrictApiKeyAction(
              slug,
              keyId,
              keep.map((line) => line.permission),
            )
          }
          onClose={() => setOpen(false)}
          description={
            <>
              <p>
                <span className="font-medium text-neutral-900">{keyName}</span> becomes a Restricted key. Apps using it keep working for
                what they did so far; a request that needs a removed permission gets 403.
              </p>
              <div data-testid="restrict-keeps">
                <p className="font-medium text-neutral-900">It keeps</p>
                <PermissionList label="Permissions it keeps" lines={keep} />
              </div>
              <div data-testid="restrict-removes">
                <p className="font-medium text-neutral-900">It loses</p>
                <PermissionList label="Permissions it loses" lines={remove} />
              </div>
            </>
          }
        />
      ) : null}
    </>
  );
}

"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import type { ApiKey } from "@/server/api-keys/schemas";
import { stopApiKeyAction } from "./actions";

/** "Stop the old key now": a rolled key's grace period ends at once, through the one confirm dialog. */
export function StopKeyDialog({
  slug,
  apiKey,
  replacement,
  onClose,
  onStopped,
}: {
  slug: string;
  apiKey: ApiKey;
  /** The replacement's display form, when it is on this page. */
  replacement?: string;
  onClose: () => void;
  onStopped: (message: string) => void;
}) {
  const since = apiKey.roll?.requestsSinceRoll ?? 0;
  return (
    <ConfirmDialog
      title="Stop the old key now?"
      confirmLabel="Stop the old key"
      action={() => stopApiKeyAction(slug, apiKey.id)}
      onClose={onClose}
      onDone={() => onStopped(`Stopped the old key ${apiKey.partialKey} of “${apiKey.name}”.`)}
      description={
        <>
          <p>
            The old key <code className="font-mono text-xs">{apiKey.partialKey}</code> of{" "}
            <span className="font-medium text-neutral-900">{apiKey.name}</span> stops working at once: apps still using it get 401. Its
            replacement
            {replacement ? (
              <>
                {" "}
                <code className="font-mono text-xs">{replacement}</code>
              </>
            ) : null}{" "}
            keeps working.
          </p>
          <p>
            {since === 0
              ? "It has not been used since the roll."
              : `It was used ${since.toLocaleString("en")} ${since === 1 ? "time" : "times"} since the roll: make sure those apps have the new key.`}
          </p>
        </>
      }
    />
  );
}

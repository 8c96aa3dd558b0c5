"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { DialogLayout, Modal } from "@/components/modal";
import { RelativeTime, exactText, useClock } from "@/components/relative-time";
import { Button, Notice, SubmitButton } from "@/components/ui";
import type { ApiKey, GracePeriod } from "@/server/api-keys/schemas";
import { rollApiKeyAction } from "./actions";
import { UNEXPECTED, splitErrors, type ActionFailure } from "./form-errors";
import { RadioCard } from "./permissions-picker";
import { RevealKey } from "./reveal-key";
import { GRACE_CHOICES } from "./shared";

const ERROR_GROUPS = { gracePeriod: ["gracePeriod"] } as const;

/**
 * Roll a key: choose how long the old key keeps working, then (in the same dialog) the new secret, shown once,
 * and what becomes of the old key. A leaked key is revoked already, so it has no grace period to choose.
 */
export function RollKeyDialog({ slug, apiKey, onClose }: { slug: string; apiKey: ApiKey; onClose: () => void }) {
  const id = useId();
  const leaked = apiKey.status === "leaked";
  const [grace, setGrace] = useState<GracePeriod>("24h");
  const [rolled, setRolled] = useState<{ key: string; partialKey: string; replaced: ApiKey } | null>(null);
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [pending, startTransition] = useTransition();
  const { now, local } = useClock();
  const { fields, notice } = splitErrors(failure, ERROR_GROUPS);
  // The old key never works past its own expiry: said when a choice would reach it.
  const expiresAt = apiKey.expiresAt ? Date.parse(apiKey.expiresAt) : null;
  const expiryCutsGrace = expiresAt !== null && expiresAt - now < Math.max(...GRACE_CHOICES.map((choice) => choice.ms));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      try {
        const result = await rollApiKeyAction(slug, apiKey.id, { gracePeriod: leaked ? "none" : grace });
        if (result.ok) {
          setFailure(null);
          setRolled({ key: result.data.key, partialKey: result.data.partialKey, replaced: result.data.replaced });
        } else {
          setFailure(result);
        }
      } catch {
        setFailure(UNEXPECTED);
      }
    });
  }

  if (rolled) {
    const stopsAt = rolled.replaced.roll?.stopsAt;
    const stillWorks = rolled.replaced.status === "rolled" && stopsAt;
    return (
      <RevealKey titleId={`${id}-title`} title="API key rolled" secret={rolled.key} onClose={onClose}>
        <p className="text-sm text-neutral-700">
          <span className="font-medium">{apiKey.name}</span> has a new secret, ending in{" "}
          <code className="font-mono text-xs">{rolled.partialKey}</code>.
        </p>
        <p className="text-sm text-neutral-700" data-testid="old-key-fate">
          {stillWorks ? (
            <>
              The old key <code className="font-mono text-xs">{apiKey.partialKey}</code> keeps working until{" "}
              <span className="font-medium">{exactText(Date.parse(stopsAt), local)}</span> (<RelativeTime iso={stopsAt} />
              ), then answers 401. Once every app uses the new key, you can stop the old one sooner from the list.
            </>
          ) : (
            <>
              The old key <code className="font-mono text-xs">{apiKey.partialKey}</code> has stopped working: requests with it get 401.
            </>
          )}
        </p>
      </RevealKey>
    );
  }

  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-description`} onClose={onClose} canClose={!pending} wide>
      <form onSubmit={submit} noValidate aria-busy={pending}>
        <DialogLayout
          titleId={`${id}-title`}
          title="Roll API key"
          footer={
            <>
              <Button type="button" variant="ghost" onClick={onClose} disabled={pending}>
                Cancel
              </Button>
              <SubmitButton pending={pending}>Roll key</SubmitButton>
            </>
          }
        >
          <p id={`${id}-description`} className="text-sm text-neutral-700">
            <span className="font-medium text-neutral-900">{apiKey.name}</span> (
            <code className="font-mono text-xs">{apiKey.partialKey}</code>) gets a new secret, shown once. The new key keeps the name,
            permissions, owner, IP allowlist and expiry.
          </p>
          {leaked ? (
            <Notice tone="info">This key was found in public and is revoked already, so the new key replaces it at once.</Notice>
          ) : (
            <fieldset className="space-y-1" aria-describedby={fields.gracePeriod ? `${id}-grace-error` : undefined}>
              <legend className="mb-1 text-sm font-medium text-neutral-800">How long should the old key keep working?</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {GRACE_CHOICES.map((choice) => (
                  <RadioCard
                    key={choice.value}
                    name={`${id}-grace`}
                    value={choice.value}
                    title={choice.label}
                    description={choice.description}
                    checked={grace === choice.value}
                    disabled={pending}
                    onChange={() => setGrace(choice.value)}
                  />
                ))}
              </div>
              {expiryCutsGrace && apiKey.expiresAt ? (
                <p className="text-xs text-neutral-600">
                  The old key never works past its expiry, <RelativeTime iso={apiKey.expiresAt} />.
                </p>
              ) : null}
              {fields.gracePeriod?.map((message) => (
                <p key={message} id={`${id}-grace-error`} className="text-xs text-red-700">
                  {message}
                </p>
              ))}
            </fieldset>
          )}
          {notice ? <Notice>{notice}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>
  );
}

"use client";

import { useEffect, useId, useRef, useState, useTransition, type FormEvent } from "react";
import { CopyButton } from "@/components/copy-button";
import { Button, Field, Input, Notice } from "@/components/ui";
import type { AccessLevel, KeyKind, KeyResource, Permission } from "@/server/auth/permissions";
import { createApiKeyAction } from "./actions";
import { UNEXPECTED, splitErrors, type ActionFailure } from "./form-errors";
import { DialogLayout, Modal } from "@/components/modal";
import { PermissionsPicker, RadioCard, noAccess, type AccessMap } from "./permissions-picker";
import { EXPIRY_CHOICES, createKeyBody, type ExpiryChoice } from "./shared";

const ERROR_GROUPS = {
  name: ["name"],
  permissions: ["kind", "permissions", "access"],
  owner: ["owner"],
  expiry: ["expiry", "expiryDate", "expiresAt"],
} as const;

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/** The Create dialog, then (in the same dialog) the one-time reveal of the new key. */
export function CreateKeyDialog({
  slug,
  heldScopes,
  canCreateMachine,
  onClose,
}: {
  slug: string;
  heldScopes: readonly string[];
  canCreateMachine: boolean;
  onClose: () => void;
}) {
  const id = useId();
  const [secret, setSecret] = useState<{ key: string; name: string } | null>(null);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<KeyKind>("all");
  const [access, setAccess] = useState<AccessMap>(noAccess);
  const [options, setOptions] = useState<Permission[]>([]);
  const [owner, setOwner] = useState<"you" | "machine">("you");
  const [expiry, setExpiry] = useState<ExpiryChoice>("never");
  const [expiryDate, setExpiryDate] = useState("");
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [pending, startTransition] = useTransition();
  const { fields, notice } = splitErrors(failure, ERROR_GROUPS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      try {
        const result = await createApiKeyAction(slug, createKeyBody({ name, kind, access, options, owner, expiry, expiryDate }));
        if (result.ok) {
          setFailure(null);
          setSecret({ key: result.data.key, name: result.data.name });
        } else {
          setFailure(result);
        }
      } catch {
        setFailure(UNEXPECTED);
      }
    });
  }

  if (secret) {
    return (
      <Modal labelledBy={`${id}-title`} onClose={onClose} wide>
        <RevealKey titleId={`${id}-title`} name={secret.name} secret={secret.key} onDone={onClose} />
      </Modal>
    );
  }

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} canClose={!pending} wide>
      <form onSubmit={submit} noValidate aria-busy={pending}>
        <DialogLayout
          titleId={`${id}-title`}
          title="Create API key"
          footer={
            <>
              <Button type="button" variant="ghost" onClick={onClose} disabled={pending}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                Create
              </Button>
            </>
          }
        >
          <Field label="Name" htmlFor={`${id}-name`} errors={fields.name} hint="Something that tells you where the key is used.">
            <Input
              id={`${id}-name`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              maxLength={64}
              autoComplete="off"
              placeholder="e.g. Production server"
              aria-invalid={!!fields.name}
              aria-describedby={fields.name ? `${id}-name-error` : undefined}
            />
          </Field>

          <PermissionsPicker
            kind={kind}
            access={access}
            heldScopes={heldScopes}
            errors={fields.permissions}
            disabled={pending}
            onKindChange={setKind}
            onAccessChange={(resource: KeyResource, level: AccessLevel) => setAccess((current) => ({ ...current, [resource]: level }))}
            options={options}
            onOptionChange={(option, chosen) =>
              setOptions((current) => (chosen ? [...current, option] : current.filter((held) => held !== option)))
            }
          />

          <fieldset className="space-y-1" aria-describedby={fields.owner ? `${id}-owner-error` : undefined}>
            <legend className="mb-1 text-sm font-medium text-neutral-800">Owner</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              <RadioCard
                name={`${id}-owner`}
                value="you"
                title="You"
                description="The key acts as you in this workspace."
                checked={owner === "you"}
                disabled={pending}
                onChange={() => setOwner("you")}
              />
              <RadioCard
                name={`${id}-owner`}
                value="machine"
                title="Machine"
                description={
                  canCreateMachine
                    ? "Adds a machine user to this workspace that owns the key, so it keeps working when people leave."
                    : "Only workspace owners can create machine users."
                }
                checked={owner === "machine"}
                disabled={pending || !canCreateMachine}
                onChange={() => setOwner("machine")}
              />
            </div>
            {fields.owner?.map((message) => (
              <p key={message} id={`${id}-owner-error`} className="text-xs text-red-600">
                {message}
              </p>
            ))}
          </fieldset>

          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Expiration" htmlFor={`${id}-expiry`} errors={expiry === "custom" ? undefined : fields.expiry}>
              <select
                id={`${id}-expiry`}
                value={expiry}
                disabled={pending}
                onChange={(event) => setExpiry(event.target.value as ExpiryChoice)}
                className="block w-full rounded-md border border-neutral-300 bg-white px-3 py-2 text-sm shadow-xs outline-none focus:border-neutral-900 focus:ring-1 focus:ring-neutral-900"
              >
                {EXPIRY_CHOICES.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </Field>
            {expiry === "custom" ? (
              <Field label="Expiration date" htmlFor={`${id}-expiry-date`} errors={fields.expiry} hint="The key works until the end of this day (UTC).">
                <Input
                  id={`${id}-expiry-date`}
                  type="date"
                  min={tomorrow()}
                  value={expiryDate}
                  disabled={pending}
                  onChange={(event) => setExpiryDate(event.target.value)}
                  aria-invalid={!!fields.expiry}
                  aria-describedby={fields.expiry ? `${id}-expiry-date-error` : undefined}
                />
              </Field>
            ) : null}
          </div>

          {notice ? <Notice>{notice}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>
  );
}

function RevealKey({ titleId, name, secret, onDone }: { titleId: string; name: string; secret: string; onDone: () => void }) {
  const keyRow = useRef<HTMLDivElement>(null);
  const [origin] = useState(() => (typeof window === "undefined" ? "" : window.location.origin));
  const curl = `curl ${origin}/api/v1/me -H "Authorization: Bearer ${secret}"`;

  useEffect(() => {
    keyRow.current?.querySelector("input")?.focus();
  }, []);

  return (
    <DialogLayout
      titleId={titleId}
      title="API key created"
      footer={
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      }
    >
      <p className="text-sm text-neutral-700">
        Your new key <span className="font-medium">{name}</span> is ready.
      </p>
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Copy your API key now and store it somewhere safe. You won&apos;t be able to see it again.
      </p>
      <div ref={keyRow} className="flex gap-2">
        <Input readOnly value={secret} aria-label="API key" className="font-mono text-xs" onFocus={(event) => event.target.select()} />
        <CopyButton value={secret} />
      </div>
      <div className="space-y-2">
        <p className="text-sm font-medium text-neutral-800">Try it</p>
        <div className="flex items-start gap-2">
          <pre className="min-w-0 flex-1 rounded-md bg-neutral-900 px-3 py-2 text-xs break-all whitespace-pre-wrap text-neutral-100">
            <code>{curl}</code>
          </pre>
          <CopyButton value={curl} label="Copy command" />
        </div>
        <p className="text-xs text-neutral-500">Send the key as a bearer token in the Authorization header of every request.</p>
      </div>
    </DialogLayout>
  );
}

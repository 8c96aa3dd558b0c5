"use client";

import { useEffect, useEffectEvent, useId, useRef, useState, useTransition, type FormEvent } from "react";
import { CopyButton } from "@/components/copy-button";
import { Button, Field, Input, Notice, buttonClass } from "@/components/ui";
import type { AccessLevel, KeyKind, KeyResource, Permission } from "@/server/auth/permissions";
import { createApiKeyAction } from "./actions";
import { UNEXPECTED, splitErrors, type ActionFailure } from "./form-errors";
import { DialogLayout, Modal } from "@/components/modal";
import { PermissionsPicker, RadioCard, noAccess, type AccessMap } from "./permissions-picker";
import { ExpiryField } from "./expiry-field";
import { createKeyBody, type ExpiryChoice } from "./shared";

const ERROR_GROUPS = {
  name: ["name"],
  permissions: ["kind", "permissions", "access"],
  owner: ["owner"],
  expiry: ["expiry", "expiryDate", "expiresAt"],
} as const;

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

  if (secret) return <RevealKey titleId={`${id}-title`} name={secret.name} secret={secret.key} onClose={onClose} />;

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

          <ExpiryField
            id={id}
            value={expiry}
            date={expiryDate}
            errors={fields.expiry}
            disabled={pending}
            onChange={(value) => setExpiry(value === "keep" ? "never" : value)}
            onDateChange={setExpiryDate}
          />

          {notice ? <Notice>{notice}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>
  );
}

/**
 * The one-time reveal. Closing it (Done, Escape, a click outside) before the key was copied — with a Copy
 * button or from the field — first asks whether it was: one question, to confirm or to go back to the key.
 */
function RevealKey({ titleId, name, secret, onClose }: { titleId: string; name: string; secret: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const [asking, setAsking] = useState(false);
  const markCopied = () => setCopied(true);
  const requestClose = () => {
    if (copied) onClose();
    else setAsking(true);
  };
  const onBackdropPress = useEffectEvent(requestClose);

  // A press on the backdrop: anywhere outside the dialog.
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = body.current?.closest('[role="dialog"]');
    const listener = (event: PointerEvent) => {
      if (dialog && event.target instanceof Node && !dialog.contains(event.target) && event.button === 0) onBackdropPress();
    };
    document.addEventListener("pointerdown", listener);
    return () => document.removeEventListener("pointerdown", listener);
  }, []);

  return (
    <Modal labelledBy={titleId} onClose={asking ? () => setAsking(false) : requestClose} wide>
      <div ref={body}>
        {asking ? (
          <ConfirmClose titleId={titleId} onBack={() => setAsking(false)} onConfirm={onClose} />
        ) : (
          <RevealBody titleId={titleId} name={name} secret={secret} onCopied={markCopied} onDone={requestClose} />
        )}
      </div>
    </Modal>
  );
}

function ConfirmClose({ titleId, onBack, onConfirm }: { titleId: string; onBack: () => void; onConfirm: () => void }) {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <DialogLayout
      titleId={titleId}
      title="Have you copied your key?"
      footer={
        <>
          <Button type="button" variant="ghost" onClick={onConfirm}>
            Close without copying
          </Button>
          <button ref={back} type="button" className={buttonClass("primary")} onClick={onBack}>
            Go back
          </button>
        </>
      }
    >
      <p className="text-sm text-neutral-700">It will not be shown again.</p>
    </DialogLayout>
  );
}

function RevealBody({
  titleId,
  name,
  secret,
  onCopied,
  onDone,
}: {
  titleId: string;
  name: string;
  secret: string;
  onCopied: () => void;
  onDone: () => void;
}) {
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
        <Input
          readOnly
          value={secret}
          aria-label="API key"
          className="font-mono text-xs"
          onFocus={(event) => event.target.select()}
          onCopy={onCopied}
        />
        <CopyButton value={secret} accessibleName="Copy key" onCopied={onCopied} />
      </div>
      <div className="space-y-2">
        <p className="text-sm font-medium text-neutral-800">Try it</p>
        <div className="flex items-start gap-2">
          <pre className="min-w-0 flex-1 rounded-md bg-neutral-900 px-3 py-2 text-xs break-all whitespace-pre-wrap text-neutral-100">
            <code onCopy={onCopied}>{curl}</code>
          </pre>
          <CopyButton value={curl} label="Copy command" onCopied={onCopied} />
        </div>
        <p className="text-xs text-neutral-500">Send the key as a bearer token in the Authorization header of every request.</p>
      </div>
    </DialogLayout>
  );
}

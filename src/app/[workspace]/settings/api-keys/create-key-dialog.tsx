"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { Button, Field, Input, Notice, SubmitButton } from "@/components/ui";
import type { AccessLevel, KeyKind, KeyResource, Permission } from "@/server/auth/permissions";
import { createApiKeyAction } from "./actions";
import { UNEXPECTED, splitErrors, type ActionFailure } from "./form-errors";
import { DialogLayout, Modal } from "@/components/modal";
import { PermissionsPicker, RadioCard, noAccess, type AccessMap } from "./permissions-picker";
import { ExpiryField } from "./expiry-field";
import { IpAllowlistField } from "./ip-allowlist-field";
import { RevealKey } from "./reveal-key";
import { allowlistEntries, allowlistProblem, createKeyBody, type ExpiryChoice } from "./shared";

const ERROR_GROUPS = {
  name: ["name"],
  permissions: ["kind", "permissions", "access"],
  owner: ["owner"],
  expiry: ["expiry", "expiryDate", "expiresAt"],
  ipAllowlist: ["ipAllowlist"],
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
  const [ipAllowlist, setIpAllowlist] = useState("");
  // The allowlist text of the last submit: the server's errors about it show until it is edited.
  const [sentAllowlist, setSentAllowlist] = useState<string | null>(null);
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [pending, startTransition] = useTransition();
  const { fields, notice } = splitErrors(failure, ERROR_GROUPS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSentAllowlist(ipAllowlist);
    // An entry the server would refuse is said at once, without a round trip.
    if (allowlistProblem(allowlistEntries(ipAllowlist))) {
      document.getElementById(`${id}-ip-allowlist`)?.focus();
      return;
    }
    startTransition(async () => {
      try {
        const result = await createApiKeyAction(
          slug,
          createKeyBody({ name, kind, access, options, owner, expiry, expiryDate, ipAllowlist }),
        );
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
      <RevealKey titleId={`${id}-title`} title="API key created" secret={secret.key} onClose={onClose}>
        <p className="text-sm text-neutral-700">
          Your new key <span className="font-medium">{secret.name}</span> is ready.
        </p>
      </RevealKey>
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
              <SubmitButton pending={pending}>Create</SubmitButton>
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

          <IpAllowlistField
            id={id}
            value={ipAllowlist}
            checked={sentAllowlist !== null}
            serverErrors={sentAllowlist === ipAllowlist ? fields.ipAllowlist : undefined}
            disabled={pending}
            onChange={setIpAllowlist}
          />

          {notice ? <Notice>{notice}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>
  );
}

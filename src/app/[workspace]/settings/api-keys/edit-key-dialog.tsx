"use client";

import { useId, useState, useTransition, type FormEvent } from "react";
import { Button, Field, Input, Notice, SubmitButton } from "@/components/ui";
import { accessFromScopes, type KeyKind, type Permission } from "@/server/auth/permissions";
import { allowlistEntries, allowlistProblem, optionsFromScopes, updateKeyBody } from "./shared";
import { updateApiKeyAction } from "./actions";
import { UNEXPECTED, splitErrors, type ActionFailure } from "./form-errors";
import { DialogLayout, Modal } from "@/components/modal";
import { PermissionsPicker, type AccessMap } from "./permissions-picker";
import type { ApiKey } from "@/server/api-keys/schemas";
import { relativeText, useClock } from "@/components/relative-time";
import { ExpiryField } from "./expiry-field";
import { IpAllowlistField } from "./ip-allowlist-field";
import type { ExpiryChoice } from "./shared";

const ERROR_GROUPS = {
  name: ["name"],
  permissions: ["kind", "permissions", "access"],
  expiry: ["expiry", "expiryDate", "expiresAt"],
  ipAllowlist: ["ipAllowlist"],
} as const;

/** The Edit dialog's default expiry choice says what it keeps. */
function keepLabel(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return "Keep: no expiry";
  const time = new Date(expiresAt).getTime();
  return time <= now ? `Keep: expired ${relativeText(time, now)}` : `Keep: expires ${relativeText(time, now)}`;
}

export function EditKeyDialog({
  slug,
  apiKey,
  heldScopes,
  onClose,
  onSaved,
}: {
  slug: string;
  apiKey: ApiKey;
  heldScopes: readonly string[];
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const id = useId();
  const [name, setName] = useState(apiKey.name);
  const [kind, setKind] = useState<KeyKind>(apiKey.kind);
  const [access, setAccess] = useState<AccessMap>(() => accessFromScopes(apiKey.permissions));
  const [options, setOptions] = useState<Permission[]>(() => optionsFromScopes(apiKey.permissions));
  const [expiry, setExpiry] = useState<ExpiryChoice | "keep">("keep");
  const [expiryDate, setExpiryDate] = useState("");
  const [ipAllowlist, setIpAllowlist] = useState(() => apiKey.ipAllowlist.join("\n"));
  // The allowlist text of the last submit: the server's errors about it show until it is edited.
  const [sentAllowlist, setSentAllowlist] = useState<string | null>(null);
  const { now } = useClock();
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
        const result = await updateApiKeyAction(
          slug,
          apiKey.id,
          updateKeyBody({ name, kind, access, options, ipAllowlist, ...(expiry === "keep" ? {} : { expiry, expiryDate }) }),
        );
        if (result.ok) onSaved(`Saved “${result.data.name}”.`);
        else setFailure(result);
      } catch {
        setFailure(UNEXPECTED);
      }
    });
  }

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} canClose={!pending} wide>
      <form onSubmit={submit} noValidate aria-busy={pending}>
        <DialogLayout
          titleId={`${id}-title`}
          title="Edit API key"
          footer={
            <>
              <Button type="button" variant="ghost" onClick={onClose} disabled={pending}>
                Cancel
              </Button>
              <SubmitButton pending={pending}>Save</SubmitButton>
            </>
          }
        >
          <Field
            label="Name"
            htmlFor={`${id}-name`}
            errors={fields.name}
            hint={apiKey.owner.type === "machine" ? "The machine user that owns this key is renamed with it." : undefined}
          >
            <Input
              id={`${id}-name`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              maxLength={64}
              autoComplete="off"
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
            onAccessChange={(resource, level) => setAccess((current) => ({ ...current, [resource]: level }))}
            options={options}
            onOptionChange={(option, chosen) =>
              setOptions((current) => (chosen ? [...current, option] : current.filter((held) => held !== option)))
            }
          />
          <ExpiryField
            id={id}
            value={expiry}
            date={expiryDate}
            errors={fields.expiry}
            disabled={pending}
            keepLabel={keepLabel(apiKey.expiresAt, now)}
            onChange={setExpiry}
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
          <p className="text-xs text-neutral-500">
            Key <code className="font-mono">{apiKey.partialKey}</code> keeps its secret: apps using it pick up the new permissions and
            allowlist on their next request.
          </p>
          {notice ? <Notice>{notice}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>
  );
}

"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button, Field, Input } from "@/components/ui";
import type { DeletionPlan } from "@/server/accounts/account-security";
import { deleteAccountAction } from "./actions";

function WorkspaceList({ workspaces, link = false }: { workspaces: DeletionPlan["deleted"]; link?: boolean }) {
  return (
    <ul className="list-disc space-y-1 pl-5">
      {workspaces.map((workspace) => (
        <li key={workspace.id}>
          {link ? (
            <Link className="font-medium text-neutral-900 underline" href={`/${workspace.slug}/settings/people`}>
              {workspace.name}
            </Link>
          ) : (
            <span className="font-medium text-neutral-900">{workspace.name}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** What deleting the account does, and the confirmation dialog (email typed again and the password). */
export function DeleteAccount({ email, plan }: { email: string; plan: DeletionPlan }) {
  const [open, setOpen] = useState(false);
  const id = useId();

  if (plan.blocking.length) {
    return (
      <div className="space-y-2 text-sm text-neutral-700">
        <p>
          You are the last owner of these workspaces, which other people still use. Make another member an owner first, or remove the other
          members:
        </p>
        <WorkspaceList workspaces={plan.blocking} link />
      </div>
    );
  }

  return (
    <div className="space-y-3 text-sm text-neutral-700">
      {plan.deleted.length ? (
        <div className="space-y-1">
          <p>You are the only person in these workspaces; they are deleted with your account, with their API keys and data:</p>
          <WorkspaceList workspaces={plan.deleted} />
        </div>
      ) : null}
      {plan.left.length ? (
        <div className="space-y-1">
          <p>You leave these workspaces; your API keys in them stop working:</p>
          <WorkspaceList workspaces={plan.left} />
        </div>
      ) : null}
      <Button type="button" variant="danger" onClick={() => setOpen(true)}>
        Delete account
      </Button>
      {open ? (
        <ConfirmDialog
          title="Delete your account"
          description={
            <p>
              This cannot be undone. Type <span className="font-medium break-all text-neutral-900">{email}</span> and your password to
              confirm.
            </p>
          }
          confirmLabel="Delete my account"
          // On success the action signs out and redirects: the dialog never closes by itself.
          action={(form) => deleteAccountAction(null, form)}
          onClose={() => setOpen(false)}
        >
          {(errors) => (
            <>
              <Field label="Your email" htmlFor={`${id}-confirmation`} errors={errors.confirmation}>
                <Input id={`${id}-confirmation`} name="confirmation" autoComplete="off" required data-autofocus />
              </Field>
              <Field label="Password" htmlFor={`${id}-password`} errors={errors.password}>
                <Input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required />
              </Field>
            </>
          )}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

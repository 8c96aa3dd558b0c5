"use client";

import Link from "next/link";
import { useActionState, useEffect, useId, useState } from "react";
import { createPortal } from "react-dom";
import { DialogLayout, Modal } from "@/components/modal";
import { Button, Field, Input, Notice } from "@/components/ui";
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

  if (plan.blocking.length) {
    return (
      <div className="space-y-2 text-sm text-neutral-700">
        <p>You are the last owner of these workspaces, which other people still use. Make another member an owner first, or remove the other members:</p>
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
      {open ? <ConfirmDeletion email={email} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function ConfirmDeletion({ email, onClose }: { email: string; onClose: () => void }) {
  const id = useId();
  const [state, action, pending] = useActionState(deleteAccountAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  // The page behind the dialog is inert while it is open: no focus, no clicks, hidden from screen readers.
  useEffect(() => {
    const page = document.querySelector("main");
    page?.setAttribute("inert", "");
    page?.setAttribute("aria-hidden", "true");
    return () => {
      page?.removeAttribute("inert");
      page?.removeAttribute("aria-hidden");
    };
  }, []);

  return createPortal(
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-description`} onClose={onClose} canClose={!pending}>
      <form action={action}>
        <DialogLayout
          titleId={`${id}-title`}
          title="Delete your account"
          footer={
            <>
              <Button type="button" variant="ghost" onClick={onClose} disabled={pending}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" disabled={pending}>
                {pending ? "Deleting…" : "Delete my account"}
              </Button>
            </>
          }
        >
          <p id={`${id}-description`} className="text-sm text-neutral-700">
            This cannot be undone. Type <span className="font-medium text-neutral-900">{email}</span> and your password to confirm.
          </p>
          <Field label="Your email" htmlFor={`${id}-confirmation`} errors={errors.confirmation}>
            <Input id={`${id}-confirmation`} name="confirmation" autoComplete="off" required maxLength={254} data-autofocus aria-invalid={!!errors.confirmation} />
          </Field>
          <Field label="Password" htmlFor={`${id}-password`} errors={errors.password}>
            <Input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required maxLength={1024} aria-invalid={!!errors.password} />
          </Field>
          {state && !state.ok && !Object.keys(errors).length ? <Notice>{state.message}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>,
    document.body,
  );
}

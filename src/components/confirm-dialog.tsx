"use client";

import { useId, type ReactNode } from "react";
import { DialogLayout, Modal } from "./modal";
import { Button, Notice, SubmitButton } from "./ui";
import { useForm, type FormResult } from "./use-form";

/**
 * The one confirmation of every destructive action (remove a member, leave, revoke an invite, delete the
 * account; the key list's Delete follows it too): what happens, Cancel (focused first, so Enter never destroys
 * by accident) and a red confirm button. `action` gets the dialog's form, so a confirmation that asks for
 * input (the account's password) puts its fields in `children`; `children` may be a function of the field
 * errors. The dialog closes on success, unless the action navigates away first.
 */
export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  action,
  onClose,
  onDone,
  children,
}: {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  action: (form: FormData) => Promise<FormResult>;
  onClose: () => void;
  onDone?: () => void;
  children?: ReactNode | ((errors: Record<string, string[]>) => ReactNode);
}) {
  const id = useId();
  const { pending, errors, message, form } = useForm(async (_previous: never, data: FormData) => {
    const result = await action(data);
    if (result.ok) (onDone ?? onClose)();
    return result;
  });
  const fields = typeof children === "function" ? children(errors) : children;

  return (
    <Modal labelledBy={`${id}-title`} describedBy={`${id}-description`} onClose={onClose} canClose={!pending}>
      <form {...form} noValidate>
        <DialogLayout
          titleId={`${id}-title`}
          title={title}
          footer={
            <>
              <Button type="button" variant="ghost" onClick={onClose} disabled={pending} data-autofocus={fields ? undefined : true}>
                Cancel
              </Button>
              <SubmitButton variant="danger" pending={pending}>
                {confirmLabel}
              </SubmitButton>
            </>
          }
        >
          <div id={`${id}-description`} className="space-y-2 text-sm text-neutral-700">
            {description}
          </div>
          {fields}
          {message ? <Notice>{message}</Notice> : null}
        </DialogLayout>
      </form>
    </Modal>
  );
}

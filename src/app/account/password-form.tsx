"use client";

import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "@/components/ui";
import { changePasswordAction } from "./actions";

function sessionsEnded(count: number): string {
  if (count === 0) return "Password changed.";
  return `Password changed. ${count} other session${count === 1 ? " was" : "s were"} signed out.`;
}

export function PasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  return (
    <form action={action}>
      <Card
        title="Password"
        description="Changing your password signs out every other browser where you are signed in."
        footer={
          <Button type="submit" disabled={pending}>
            {pending ? "Changing…" : "Change password"}
          </Button>
        }
      >
        <div className="space-y-4">
          <Field label="Current password" htmlFor="currentPassword" errors={errors.currentPassword}>
            <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required maxLength={1024} aria-invalid={!!errors.currentPassword} />
          </Field>
          <Field label="New password" htmlFor="newPassword" errors={errors.newPassword} hint="8 to 128 characters.">
            <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required minLength={8} maxLength={128} aria-invalid={!!errors.newPassword} />
          </Field>
          {state && !state.ok && !Object.keys(errors).length ? <Notice>{state.message}</Notice> : null}
          {state?.ok && !pending ? <Notice tone="success">{sessionsEnded(state.data.endedSessions)}</Notice> : null}
        </div>
      </Card>
    </form>
  );
}

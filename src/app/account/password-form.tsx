"use client";

import { Card, Field, Input, Notice, SubmitButton } from "@/components/ui";
import { useForm } from "@/components/use-form";
import { changePasswordAction } from "./actions";

function sessionsEnded(count: number): string {
  if (count === 0) return "Password changed.";
  return `Password changed. ${count} other session${count === 1 ? " was" : "s were"} signed out.`;
}

export function PasswordForm() {
  const { state, pending, errors, message, form } = useForm(changePasswordAction);

  return (
    <form {...form} noValidate>
      <Card
        title="Password"
        description="Changing your password signs out every other browser where you are signed in."
        footer={<SubmitButton pending={pending}>Change password</SubmitButton>}
      >
        <div className="space-y-4">
          <Field label="Current password" htmlFor="currentPassword" errors={errors.currentPassword}>
            <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
          </Field>
          <Field label="New password" htmlFor="newPassword" errors={errors.newPassword} hint="8 to 128 characters.">
            <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required />
          </Field>
          {message ? <Notice>{message}</Notice> : null}
          {state?.ok && !pending ? <Notice tone="success">{sessionsEnded(state.data.endedSessions)}</Notice> : null}
        </div>
      </Card>
    </form>
  );
}

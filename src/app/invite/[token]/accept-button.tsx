"use client";

import { Notice, SubmitButton } from "@/components/ui";
import { useForm } from "@/components/use-form";
import { acceptInviteAction } from "./actions";

export function AcceptInviteButton({ token, workspaceName }: { token: string; workspaceName: string }) {
  const { pending, message, form } = useForm(() => acceptInviteAction(token));
  return (
    <form {...form} className="space-y-3">
      <SubmitButton pending={pending}>Join {workspaceName}</SubmitButton>
      {message ? <Notice>{message}</Notice> : null}
    </form>
  );
}

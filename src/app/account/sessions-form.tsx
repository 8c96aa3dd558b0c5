"use client";

import { Card, Notice, SubmitButton } from "@/components/ui";
import { useForm } from "@/components/use-form";
import { signOutOtherSessionsAction } from "./actions";

function describe(count: number): string {
  if (count === 0) return "You are not signed in anywhere else.";
  return `You are also signed in on ${count} other browser${count === 1 ? "" : "s"} or device${count === 1 ? "" : "s"}.`;
}

export function SessionsForm({ otherSessions }: { otherSessions: number }) {
  const { state, pending, message, form } = useForm(() => signOutOtherSessionsAction());
  const ended = state?.ok ? state.data.endedSessions : null;

  return (
    <form {...form}>
      <Card
        title="Sessions"
        description={describe(ended === null ? otherSessions : 0)}
        footer={
          <SubmitButton variant="secondary" pending={pending}>
            Sign out other sessions
          </SubmitButton>
        }
      >
        {message ? <Notice>{message}</Notice> : null}
        {ended !== null ? (
          <Notice tone="success">{`Signed out ${ended} other session${ended === 1 ? "" : "s"}.`}</Notice>
        ) : message ? null : (
          <p className="text-sm text-neutral-600">This browser stays signed in.</p>
        )}
      </Card>
    </form>
  );
}

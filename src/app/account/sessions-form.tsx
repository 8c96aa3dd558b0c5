"use client";

import { useState, useTransition } from "react";
import { Button, Card, Notice } from "@/components/ui";
import { signOutOtherSessionsAction } from "./actions";

function describe(count: number): string {
  if (count === 0) return "You are not signed in anywhere else.";
  return `You are also signed in on ${count} other browser${count === 1 ? "" : "s"} or device${count === 1 ? "" : "s"}.`;
}

export function SessionsForm({ otherSessions }: { otherSessions: number }) {
  const [remaining, setRemaining] = useState(otherSessions);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function signOutOthers() {
    startTransition(async () => {
      try {
        const result = await signOutOtherSessionsAction();
        if (!result.ok) return setMessage({ tone: "error", text: result.message });
        setRemaining(0);
        setMessage({ tone: "success", text: `Signed out ${result.data.endedSessions} other session${result.data.endedSessions === 1 ? "" : "s"}.` });
      } catch {
        setMessage({ tone: "error", text: "Something went wrong. Check your connection and try again." });
      }
    });
  }

  return (
    <Card
      title="Sessions"
      description={describe(remaining)}
      footer={
        <Button type="button" variant="secondary" onClick={signOutOthers} disabled={pending}>
          {pending ? "Signing out…" : "Sign out other sessions"}
        </Button>
      }
    >
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : <p className="text-sm text-neutral-600">This browser stays signed in.</p>}
    </Card>
  );
}

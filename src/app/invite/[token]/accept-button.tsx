"use client";

import { useState, useTransition } from "react";
import { Button, Notice } from "@/components/ui";
import { acceptInviteAction } from "./actions";

export function AcceptInviteButton({ token, workspaceName }: { token: string; workspaceName: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-3">
      <Button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await acceptInviteAction(token);
            if (result && !result.ok) setError(result.message);
          })
        }
      >
        Join {workspaceName}
      </Button>
      {error ? <Notice>{error}</Notice> : null}
    </div>
  );
}

"use client";

import { useState, useTransition } from "react";
import { CopyButton } from "@/components/copy-button";
import { Button, Card, Input, Notice } from "@/components/ui";
import { createInviteAction, revokeInviteAction } from "./actions";

interface PendingInvite {
  id: string;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
}

export function InvitePanel({ slug, invites, canInvite }: { slug: string; invites: PendingInvite[]; canInvite: boolean }) {
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function create() {
    startTransition(async () => {
      setError(null);
      const result = await createInviteAction(slug);
      if (result.ok) setLink(`${window.location.origin}/invite/${result.data.token}`);
      else setError(result.message);
    });
  }

  function revoke(id: string) {
    startTransition(async () => {
      const result = await revokeInviteAction(slug, id);
      if (!result.ok) setError(result.message);
    });
  }

  return (
    <Card
      title="Invite people"
      description={
        canInvite
          ? "Create a link and send it to a teammate. It works once, for 7 days, and joins them as a member."
          : "Only owners can invite people."
      }
    >
      <div className="space-y-4">
        {canInvite ? (
          <Button type="button" onClick={create} disabled={pending}>
            Create invite link
          </Button>
        ) : null}
        {link ? (
          <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
            <p className="text-sm text-amber-900">Copy this link now: it will not be shown again.</p>
            <div className="flex gap-2">
              <Input readOnly value={link} aria-label="Invite link" className="font-mono text-xs" onFocus={(event) => event.target.select()} />
              <CopyButton value={link} />
            </div>
          </div>
        ) : null}
        {error ? <Notice>{error}</Notice> : null}
        {invites.length ? (
          <table className="w-full text-sm">
            <caption className="mb-2 text-left font-medium">Pending invites</caption>
            <thead className="text-left text-neutral-500">
              <tr>
                <th className="py-1 font-normal">Created by</th>
                <th className="py-1 font-normal">Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {invites.map((invite) => (
                <tr key={invite.id} className="border-t border-neutral-100">
                  <td className="py-2">{invite.createdBy}</td>
                  <td className="py-2">{new Date(invite.expiresAt).toLocaleDateString()}</td>
                  <td className="py-2 text-right">
                    {canInvite ? (
                      <Button type="button" variant="ghost" onClick={() => revoke(invite.id)} disabled={pending}>
                        Revoke
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </Card>
  );
}

"use client";

import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { Button, Card, FOCUS_RING, Input, Notice, SubmitButton } from "@/components/ui";
import { useForm } from "@/components/use-form";
import { createInviteAction, revokeInviteAction } from "./actions";

interface PendingInvite {
  id: string;
  createdAt: string;
  expiresAt: string;
  createdBy: string;
}

export function InvitePanel({ slug, invites, canInvite }: { slug: string; invites: PendingInvite[]; canInvite: boolean }) {
  const { state, pending, message, form } = useForm(() => createInviteAction(slug));
  const [revoking, setRevoking] = useState<PendingInvite | null>(null);
  const link = state?.ok ? `${window.location.origin}/invite/${state.data.token}` : null;

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
          <form {...form}>
            <SubmitButton pending={pending}>Create invite link</SubmitButton>
          </form>
        ) : null}
        {link && !pending ? (
          <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
            <p className="text-sm text-amber-900">Copy this link now: it will not be shown again.</p>
            <div className="flex flex-col gap-2 sm:flex-row">
              <Input
                readOnly
                value={link}
                aria-label="Invite link"
                className="font-mono text-xs"
                onFocus={(event) => event.target.select()}
              />
              <CopyButton value={link} />
            </div>
          </div>
        ) : null}
        {message ? <Notice>{message}</Notice> : null}
        {invites.length ? (
          // relative: the sr-only header cell is positioned, and must stay inside the scrolling box; focusable, so
          // that a keyboard can scroll it on a phone.
          <div tabIndex={0} role="region" aria-label="Pending invites" className={`relative overflow-x-auto rounded ${FOCUS_RING}`}>
            <table className="w-full text-sm">
              <caption className="mb-2 text-left font-medium">Pending invites</caption>
              <thead className="text-left text-neutral-600">
                <tr>
                  <th className="py-1 pr-2 font-normal">Created by</th>
                  <th className="py-1 pr-2 font-normal">Expires</th>
                  <th className="py-1 font-normal">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invites.map((invite) => (
                  <tr key={invite.id} className="border-t border-neutral-100">
                    <td className="py-2 pr-2 break-words">{invite.createdBy}</td>
                    <td className="py-2 pr-2">
                      <time dateTime={invite.expiresAt} title={new Date(invite.expiresAt).toLocaleString()} suppressHydrationWarning>
                        {new Date(invite.expiresAt).toLocaleDateString()}
                      </time>
                    </td>
                    <td className="py-2 text-right">
                      {canInvite ? (
                        <Button type="button" variant="ghost" onClick={() => setRevoking(invite)}>
                          Revoke
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      {revoking ? (
        <ConfirmDialog
          title="Revoke invite link"
          description={<p>The link {revoking.createdBy} created stops working at once. Whoever has it can no longer join.</p>}
          confirmLabel="Revoke link"
          action={() => revokeInviteAction(slug, revoking.id)}
          onClose={() => setRevoking(null)}
        />
      ) : null}
    </Card>
  );
}

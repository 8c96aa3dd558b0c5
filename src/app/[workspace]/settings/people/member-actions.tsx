"use client";

import { useId, useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button, FOCUS_RING, Notice, PENDING_LABEL } from "@/components/ui";
import { changeRoleAction, leaveWorkspaceAction, removeMemberAction } from "./actions";

interface Member {
  membershipId: string;
  name: string;
  role: "owner" | "member";
  isMachine: boolean;
  isYou: boolean;
  recentlyUsedKeys: number;
  /** The workspace's only owner: their role cannot change and they cannot leave or be removed. */
  soleOwner: boolean;
}

export function MemberActions({ slug, member, canManage }: { slug: string; member: Member; canManage: boolean }) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function changeRole(role: string) {
    startTransition(async () => {
      setError(null);
      try {
        const result = await changeRoleAction(slug, member.membershipId, role);
        if (!result.ok) setError(result.message);
      } catch {
        setError("Something went wrong. Check your connection and try again.");
      }
    });
  }

  const removeLabel = member.isYou ? "Leave" : "Remove";
  const canRemove = (member.isYou || canManage) && !member.soleOwner;
  const keysNote =
    !member.isYou && member.recentlyUsedKeys > 0
      ? `${member.recentlyUsedKeys === 1 ? "1 API key" : `${member.recentlyUsedKeys} API keys`} of ${member.isMachine ? "this machine user" : member.name} ${
          member.recentlyUsedKeys === 1 ? "was" : "were"
        } used in the last 30 days. ${member.recentlyUsedKeys === 1 ? "It stops" : "They stop"} working when you remove them.`
      : null;

  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap items-center gap-2">
        {canManage && !member.isMachine ? (
          <select
            aria-label={`Role of ${member.name}`}
            aria-describedby={member.soleOwner ? `${id}-reason` : undefined}
            value={member.role}
            disabled={pending || member.soleOwner}
            onChange={(event) => changeRole(event.target.value)}
            className={`rounded-md border border-neutral-400 bg-white px-2 py-1.5 text-sm text-neutral-900 disabled:cursor-not-allowed disabled:bg-neutral-100 disabled:text-neutral-600 ${FOCUS_RING}`}
          >
            <option value="owner">Owner</option>
            <option value="member">Member</option>
          </select>
        ) : null}
        {pending ? <span className="text-sm text-neutral-600">{PENDING_LABEL}</span> : null}
        {canRemove ? (
          <Button type="button" variant="ghost" onClick={() => (setError(null), setConfirming(true))} disabled={pending}>
            {removeLabel}
          </Button>
        ) : null}
      </div>
      {member.soleOwner && (canManage || member.isYou) ? (
        <p id={`${id}-reason`} className="text-xs text-neutral-600">
          The only owner: make someone else an owner first.
        </p>
      ) : null}
      {error ? <Notice>{error}</Notice> : null}
      {confirming ? (
        <ConfirmDialog
          title={member.isYou ? "Leave this workspace" : `Remove ${member.name}`}
          description={
            <>
              <p>
                {member.isYou
                  ? "You lose access to this workspace and your API keys in it stop working. An owner can invite you again."
                  : `${member.name} loses access to this workspace${member.isMachine ? " and is deleted with its API key" : ", and their API keys in it stop working"}.`}
              </p>
              {keysNote ? <p>{keysNote}</p> : null}
            </>
          }
          confirmLabel={member.isYou ? "Leave workspace" : `Remove ${member.name}`}
          action={() => (member.isYou ? leaveWorkspaceAction(slug) : removeMemberAction(slug, member.membershipId))}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}

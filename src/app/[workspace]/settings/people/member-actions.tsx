"use client";

import { useState, useTransition } from "react";
import { Button, Notice } from "@/components/ui";
import { changeRoleAction, leaveWorkspaceAction, removeMemberAction } from "./actions";

interface Member {
  membershipId: string;
  name: string;
  role: "owner" | "member";
  isMachine: boolean;
  isYou: boolean;
  recentlyUsedKeys: number;
}

export function MemberActions({ slug, member, canManage }: { slug: string; member: Member; canManage: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function run(action: () => Promise<{ ok: boolean; message?: string }>) {
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) setError(result.message ?? "Something went wrong.");
      setConfirming(false);
    });
  }

  const removeLabel = member.isYou ? "Leave" : "Remove";
  const canRemove = member.isYou || canManage;

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex items-center gap-2">
        {canManage && !member.isMachine ? (
          <select
            aria-label={`Role of ${member.name}`}
            value={member.role}
            disabled={pending}
            onChange={(event) => run(() => changeRoleAction(slug, member.membershipId, event.target.value))}
            className="rounded-md border border-neutral-300 bg-white px-2 py-1 text-sm"
          >
            <option value="owner">Owner</option>
            <option value="member">Member</option>
          </select>
        ) : null}
        {canRemove && !confirming ? (
          <Button type="button" variant="ghost" onClick={() => setConfirming(true)} disabled={pending}>
            {removeLabel}
          </Button>
        ) : null}
        {confirming ? (
          <>
            <Button
              type="button"
              variant="danger"
              disabled={pending}
              onClick={() => run(() => (member.isYou ? leaveWorkspaceAction(slug) : removeMemberAction(slug, member.membershipId)))}
            >
              {member.isYou ? "Confirm leave" : `Confirm remove ${member.name}`}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </>
        ) : null}
      </div>
      {confirming && !member.isYou && member.recentlyUsedKeys > 0 ? (
        <Notice tone="info">
          {member.recentlyUsedKeys === 1 ? "1 API key" : `${member.recentlyUsedKeys} API keys`} of{" "}
          {member.isMachine ? "this machine user" : member.name} {member.recentlyUsedKeys === 1 ? "was" : "were"} used in the
          last 30 days. {member.recentlyUsedKeys === 1 ? "It stops" : "They stop"} working when you remove them.
        </Notice>
      ) : null}
      {error ? <Notice>{error}</Notice> : null}
    </div>
  );
}

"use server";

import { redirect } from "next/navigation";
import { requireSessionUser } from "@/server/auth/session";
import { runAction, withActionClient } from "@/server/http/action";
import { acceptInvite } from "@/server/people/invites";
import { inviteTokenSchema } from "@/server/people/schemas";

export async function acceptInviteAction(token: string) {
  const result = await runAction(async () => {
    const { user } = await requireSessionUser();
    return withActionClient(() => acceptInvite(user.id, inviteTokenSchema.parse(token)));
  });
  if (result.ok) redirect(`/${result.data.slug}`);
  return result;
}

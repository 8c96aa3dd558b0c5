"use server";

import { redirect } from "next/navigation";
import { changePassword, deleteAccount, signOutOtherSessions } from "@/server/accounts/account-security";
import { changePasswordSchema, deleteAccountSchema } from "@/server/accounts/schemas";
import { endSession, requireSessionUser } from "@/server/auth/session";
import { formField, runAction, withActionClient, type ActionResult } from "@/server/http/action";

export async function changePasswordAction(_previous: ActionResult<unknown> | null, form: unknown) {
  return runAction(async () => {
    const input = changePasswordSchema.parse({
      currentPassword: formField(form, "currentPassword"),
      newPassword: formField(form, "newPassword"),
    });
    return changePassword(await requireSessionUser(), input);
  });
}

export async function signOutOtherSessionsAction() {
  return runAction(async () => signOutOtherSessions(await requireSessionUser()));
}

export async function deleteAccountAction(_previous: ActionResult<unknown> | null, form: unknown) {
  const result = await runAction(async () => {
    const input = deleteAccountSchema.parse({ password: formField(form, "password"), confirmation: formField(form, "confirmation") });
    const current = await requireSessionUser();
    await withActionClient(() => deleteAccount(current, input));
  });
  if (!result.ok) return result;
  // The session row went with the account; this clears the cookie too.
  await endSession();
  redirect("/sign-in?account=deleted");
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { Card } from "@/components/ui";
import { countOtherSessions, deletionPlan } from "@/server/accounts/account-security";
import { getSessionUser } from "@/server/auth/session";
import { listWorkspacesForUser } from "@/server/workspaces/list-workspaces";
import { DeleteAccount } from "./delete-account";
import { PasswordForm } from "./password-form";
import { SessionsForm } from "./sessions-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const current = await getSessionUser();
  if (!current) redirect("/sign-in?next=/account");
  const [otherSessions, plan, workspaces] = await Promise.all([
    countOtherSessions(current),
    deletionPlan(current.user.id),
    listWorkspacesForUser(current.user.id),
  ]);

  return (
    <AppShell user={current.user} workspaces={workspaces} narrow>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold">Your account</h1>
          <p className="mt-1 text-sm break-words text-neutral-600">
            Signed in as <span className="font-medium text-neutral-900">{current.user.name}</span> ({current.user.email})
          </p>
        </div>
        <PasswordForm />
        <SessionsForm otherSessions={otherSessions} />
        <Card title="Delete account" description="Deleting your account is permanent and signs you out everywhere.">
          <DeleteAccount email={current.user.email} plan={plan} />
        </Card>
      </div>
    </AppShell>
  );
}

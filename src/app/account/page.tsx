import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui";
import { countOtherSessions, deletionPlan } from "@/server/accounts/account-security";
import { getSessionUser } from "@/server/auth/session";
import { DeleteAccount } from "./delete-account";
import { PasswordForm } from "./password-form";
import { SessionsForm } from "./sessions-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const current = await getSessionUser();
  if (!current) redirect("/sign-in?next=/account");
  const [otherSessions, plan] = await Promise.all([countOtherSessions(current), deletionPlan(current.user.id)]);

  return (
    <main className="mx-auto max-w-2xl space-y-6 px-4 py-10">
      <Link href="/" className="text-sm text-neutral-600 hover:underline">
        ← Back to your workspaces
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <p className="mt-1 text-sm text-neutral-600">
          Signed in as <span className="font-medium text-neutral-900">{current.user.name}</span> ({current.user.email})
        </p>
      </div>
      <PasswordForm />
      <SessionsForm otherSessions={otherSessions} />
      <Card title="Delete account" description="Deleting your account is permanent and signs you out everywhere.">
        <DeleteAccount email={current.user.email} plan={plan} />
      </Card>
    </main>
  );
}

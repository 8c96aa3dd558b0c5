import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/server/auth/session";
import { NewWorkspaceForm } from "./new-workspace-form";

export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  if (!(await getSessionUser())) redirect("/sign-in?next=/new");
  return (
    <main className="mx-auto mt-16 max-w-lg space-y-4 px-4">
      <Link href="/" className="text-sm text-neutral-600 hover:underline">
        ← Back
      </Link>
      <NewWorkspaceForm />
    </main>
  );
}

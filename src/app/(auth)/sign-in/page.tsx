import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { getSessionUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; account?: string | string[] }>;
}) {
  const { next, account } = await searchParams;
  if (await getSessionUser()) redirect("/");
  const notice = account === "deleted" ? "Your account was deleted." : undefined;
  return <AuthForm mode="sign-in" next={typeof next === "string" ? next : undefined} notice={notice} />;
}

"use client";

import Link from "next/link";
import { Field, Input, Notice, SubmitButton } from "./ui";
import { useForm, type FormResult } from "./use-form";

type Mode = "sign-in" | "sign-up";

/** Only same-site paths may be followed after signing in, never another origin. */
function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : undefined;
}

/** The invite a sign-up came from (?next=/invite/<token>): the new account joins that workspace instead. */
function inviteTokenOf(target: string | undefined): string | undefined {
  return target?.match(/^\/invite\/([A-Za-z0-9_-]+)$/)?.[1];
}

export function AuthForm({ mode, next, notice }: { mode: Mode; next?: string; notice?: string }) {
  const target = safeNext(next);
  const inviteToken = mode === "sign-up" ? inviteTokenOf(target) : undefined;

  const { pending, errors, message, form } = useForm(async (_previous: never, data: FormData): Promise<FormResult> => {
    const body = { ...Object.fromEntries(data.entries()), ...(inviteToken ? { inviteToken } : {}) };
    let response: Response;
    try {
      response = await fetch(`/api/account/${mode}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch {
      return { ok: false, message: "Could not reach the server. Check your connection and try again." };
    }
    const result = (await response.json().catch(() => ({}))) as {
      detail?: string;
      errors?: Record<string, string[]>;
      redirectTo?: string;
      joined?: boolean;
    };
    if (!response.ok) return { ok: false, message: result.detail ?? "Something went wrong. Try again.", fieldErrors: result.errors };
    // A sign-up that joined the invited workspace goes there; otherwise back to where the user came from.
    window.location.assign((result.joined ? result.redirectTo : target) ?? result.redirectTo ?? "/");
    // The page is being replaced: stay pending (the button disabled) until it is gone.
    return new Promise<never>(() => {});
  });

  const title = mode === "sign-in" ? "Sign in to Heyoo" : "Create your Heyoo account";
  const query = target ? `?next=${encodeURIComponent(target)}` : "";

  return (
    <main id="content" tabIndex={-1} className="mx-auto mt-12 w-full max-w-sm space-y-6 px-4 outline-none sm:mt-20">
      <p className="text-lg font-bold tracking-tight">heyoo</p>
      <h1 className="text-2xl font-semibold">{title}</h1>
      {notice && !message ? <Notice tone="info">{notice}</Notice> : null}
      {inviteToken ? <Notice tone="info">You are joining the workspace you were invited to.</Notice> : null}
      <form {...form} className="space-y-4" noValidate>
        {mode === "sign-up" ? (
          <Field label="Name" htmlFor="name" errors={errors.name}>
            <Input id="name" name="name" autoComplete="name" required />
          </Field>
        ) : null}
        <Field label="Email" htmlFor="email" errors={errors.email}>
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </Field>
        <Field label="Password" htmlFor="password" errors={errors.password} hint={mode === "sign-up" ? "8 to 128 characters." : undefined}>
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
            required
          />
        </Field>
        {message ? <Notice>{message}</Notice> : null}
        <SubmitButton pending={pending} className="w-full">
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </SubmitButton>
      </form>
      <p className="text-sm text-neutral-600">
        {mode === "sign-in" ? (
          <>
            No account yet?{" "}
            <Link className="font-medium text-neutral-900 underline" href={`/sign-up${query}`}>
              Sign up
            </Link>
          </>
        ) : (
          <>
            Already have an account?{" "}
            <Link className="font-medium text-neutral-900 underline" href={`/sign-in${query}`}>
              Sign in
            </Link>
          </>
        )}
      </p>
    </main>
  );
}

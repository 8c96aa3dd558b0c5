"use client";

import Link from "next/link";
import { useState } from "react";
import { Button, Field, Input, Notice } from "./ui";

type Mode = "sign-in" | "sign-up";

interface Problem {
  detail?: string;
  errors?: Record<string, string[]>;
}

/** Only same-site paths may be followed after signing in, never another origin. */
function safeNext(next: string | undefined): string | undefined {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : undefined;
}

export function AuthForm({ mode, next, notice }: { mode: Mode; next?: string; notice?: string }) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const target = safeNext(next);

  async function submit(form: FormData) {
    setPending(true);
    setProblem(null);
    const body = Object.fromEntries(form.entries());
    try {
      const response = await fetch(`/api/account/${mode}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const result = (await response.json().catch(() => ({}))) as Problem & { redirectTo?: string };
      if (!response.ok) {
        setProblem(result);
        setPending(false);
        return;
      }
      window.location.assign(target ?? result.redirectTo ?? "/");
    } catch {
      setProblem({ detail: "Could not reach the server. Check your connection and try again." });
      setPending(false);
    }
  }

  const errors = problem?.errors ?? {};
  const title = mode === "sign-in" ? "Sign in to Heyoo" : "Create your Heyoo account";
  const query = target ? `?next=${encodeURIComponent(target)}` : "";

  return (
    <div className="mx-auto mt-20 w-full max-w-sm space-y-6 px-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      {notice && !problem ? <Notice tone="info">{notice}</Notice> : null}
      <form action={submit} className="space-y-4" noValidate>
        {mode === "sign-up" ? (
          <Field label="Name" htmlFor="name" errors={errors.name}>
            <Input id="name" name="name" autoComplete="name" required maxLength={100} aria-invalid={!!errors.name} />
          </Field>
        ) : null}
        <Field label="Email" htmlFor="email" errors={errors.email}>
          <Input id="email" name="email" type="email" autoComplete="email" required aria-invalid={!!errors.email} />
        </Field>
        <Field
          label="Password"
          htmlFor="password"
          errors={errors.password}
          hint={mode === "sign-up" ? "8 to 128 characters." : undefined}
        >
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete={mode === "sign-up" ? "new-password" : "current-password"}
            required
            aria-invalid={!!errors.password}
          />
        </Field>
        {problem?.detail && !Object.keys(errors).length ? <Notice>{problem.detail}</Notice> : null}
        <Button type="submit" disabled={pending} className="w-full">
          {pending ? "Please wait…" : mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
      </form>
      <p className="text-sm text-neutral-600">
        {mode === "sign-in" ? (
          <>
            No account yet? <Link className="font-medium underline" href={`/sign-up${query}`}>Sign up</Link>
          </>
        ) : (
          <>
            Already have an account? <Link className="font-medium underline" href={`/sign-in${query}`}>Sign in</Link>
          </>
        )}
      </p>
    </div>
  );
}

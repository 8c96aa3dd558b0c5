"use client";

import { unstable_rethrow } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";

/** What every form's action answers: the shape of ActionResult (src/server/http/action.ts). */
export type FormResult = { ok: true; data?: unknown } | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

/** A request that never got an answer (the network, or the server gone): the form says so and keeps its values. */
export const UNEXPECTED = {
  ok: false,
  code: "internal_error",
  message: "Something went wrong. Check your connection and try again.",
} as const;

/**
 * The one way a form of this app submits (sign-in, sign-up, settings, dialogs): `useActionState` for the
 * result and the pending flag, with the submit handled here rather than by React's `<form action>`:
 * - React 19 resets a form whose `action` is a function once the action settles, wiping what the user typed
 *   even when the server refused it. Submitting from `onSubmit` (default prevented) runs the same action
 *   without that reset, so every typed value stays after a failed submit.
 * - A second submit while one is in flight (a double click, Enter pressed twice) is ignored: one request per
 *   submit, whatever the button's disabled state has rendered yet.
 * - An action that throws (no answer) becomes UNEXPECTED instead of the error page; redirects pass through.
 * - After a success the form is reset to its default values (what was saved; a password field empties).
 * `action` stays on the form as well: before the page hydrates, React renders it as a URL that submits nothing,
 * so an early submit can never send the fields (a password) in a GET query string.
 */
export function useForm<R extends FormResult>(action: (previous: never, form: FormData) => Promise<R>) {
  const [state, dispatch, pending] = useActionState(async (previous: R | typeof UNEXPECTED | null, form: FormData) => {
    try {
      return await action(previous as never, form);
    } catch (error) {
      unstable_rethrow(error);
      return UNEXPECTED;
    }
  }, null);
  const inFlight = useRef(false);
  const submitted = useRef<HTMLFormElement | null>(null);
  useEffect(() => {
    if (pending) return;
    inFlight.current = false;
    if (state?.ok) submitted.current?.reset();
  }, [pending, state]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    submitted.current = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(data));
  }

  const failed = state && !state.ok ? state : null;
  const errors: Record<string, string[]> = (failed && "fieldErrors" in failed ? failed.fieldErrors : undefined) ?? {};
  // A message of the whole form only when no field carries the error.
  const message = failed && "message" in failed && !Object.keys(errors).length ? failed.message : null;
  return { state, pending, errors, message, form: { action: dispatch, onSubmit } };
}

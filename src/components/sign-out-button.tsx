"use client";

import { useFormStatus } from "react-dom";
import { SubmitButton } from "./ui";

/** Sign out, a plain Server Action form (it works before hydration too), with the common pending state. */
export function SignOutButton() {
  const { pending } = useFormStatus();
  return (
    <SubmitButton variant="ghost" pending={pending}>
      Sign out
    </SubmitButton>
  );
}

"use client";

import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "@/components/ui";
import { createWorkspaceAction } from "./actions";

export function NewWorkspaceForm() {
  const [state, action, pending] = useActionState(createWorkspaceAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action}>
      <Card
        title="Create a workspace"
        description="A workspace is your organisation: its people, its resources and its API keys."
        footer={
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create workspace"}
          </Button>
        }
      >
        <div className="space-y-4">
          <Field label="Name" htmlFor="name" errors={errors.name}>
            <Input id="name" name="name" required maxLength={64} aria-invalid={!!errors.name} />
          </Field>
          <Field label="Slug (optional)" htmlFor="slug" errors={errors.slug} hint="Made from the name when left empty.">
            <Input id="slug" name="slug" maxLength={48} aria-invalid={!!errors.slug} />
          </Field>
          {state && !state.ok && !Object.keys(errors).length ? <Notice>{state.message}</Notice> : null}
        </div>
      </Card>
    </form>
  );
}

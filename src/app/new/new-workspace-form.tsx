"use client";

import { Card, Field, Input, Notice, SubmitButton } from "@/components/ui";
import { useForm } from "@/components/use-form";
import { createWorkspaceAction } from "./actions";

export function NewWorkspaceForm() {
  const { pending, errors, message, form } = useForm(createWorkspaceAction);
  return (
    <form {...form} noValidate>
      <Card
        title="Create a workspace"
        description="A workspace is your organisation: its people, its resources and its API keys."
        footer={<SubmitButton pending={pending}>Create workspace</SubmitButton>}
      >
        <div className="space-y-4">
          <Field label="Name" htmlFor="name" errors={errors.name}>
            <Input id="name" name="name" required />
          </Field>
          <Field label="Slug (optional)" htmlFor="slug" errors={errors.slug} hint="Made from the name when left empty.">
            <Input id="slug" name="slug" />
          </Field>
          {message ? <Notice>{message}</Notice> : null}
        </div>
      </Card>
    </form>
  );
}

"use client";

import { Card, Field, Input, Notice, SubmitButton } from "@/components/ui";
import { useForm } from "@/components/use-form";
import { updateWorkspaceAction } from "./actions";

export function WorkspaceForm({
  workspace,
  canEdit,
  saved,
}: {
  workspace: { slug: string; name: string };
  canEdit: boolean;
  saved: boolean;
}) {
  const { state, pending, errors, message, form } = useForm(updateWorkspaceAction.bind(null, workspace.slug));

  return (
    <form {...form} noValidate>
      <Card
        title="Workspace"
        description={canEdit ? "The name people see and the slug in your workspace's URLs." : "Only owners can change these settings."}
        footer={canEdit ? <SubmitButton pending={pending}>Save changes</SubmitButton> : undefined}
      >
        <div className="space-y-4">
          <Field label="Name" htmlFor="name" errors={errors.name}>
            <Input id="name" name="name" defaultValue={workspace.name} disabled={!canEdit} />
          </Field>
          <Field label="Slug" htmlFor="slug" errors={errors.slug} hint={`Your workspace lives at /${workspace.slug}.`}>
            <Input id="slug" name="slug" defaultValue={workspace.slug} disabled={!canEdit} />
          </Field>
          {message ? <Notice>{message}</Notice> : null}
          {(state?.ok || (saved && !state)) && !pending ? <Notice tone="success">Saved.</Notice> : null}
        </div>
      </Card>
    </form>
  );
}

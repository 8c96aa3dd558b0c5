"use client";

import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "@/components/ui";
import { updateWorkspaceAction } from "./actions";

export function WorkspaceForm({ workspace, canEdit, saved }: { workspace: { slug: string; name: string }; canEdit: boolean; saved: boolean }) {
  const [state, action, pending] = useActionState(updateWorkspaceAction.bind(null, workspace.slug), null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  return (
    <form action={action}>
      <Card
        title="Workspace"
        description={canEdit ? "The name people see and the slug in your workspace's URLs." : "Only owners can change these settings."}
        footer={
          canEdit ? (
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save changes"}
            </Button>
          ) : undefined
        }
      >
        <div className="space-y-4">
          <Field label="Name" htmlFor="name" errors={errors.name}>
            <Input id="name" name="name" defaultValue={workspace.name} disabled={!canEdit} maxLength={64} aria-invalid={!!errors.name} />
          </Field>
          <Field label="Slug" htmlFor="slug" errors={errors.slug} hint={`Your workspace lives at /${workspace.slug}.`}>
            <Input id="slug" name="slug" defaultValue={workspace.slug} disabled={!canEdit} maxLength={48} aria-invalid={!!errors.slug} />
          </Field>
          {state && !state.ok && !Object.keys(errors).length ? <Notice>{state.message}</Notice> : null}
          {(state?.ok || saved) && !pending ? <Notice tone="success">Saved.</Notice> : null}
        </div>
      </Card>
    </form>
  );
}

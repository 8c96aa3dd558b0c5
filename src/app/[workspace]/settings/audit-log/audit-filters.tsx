import Form from "next/form";
import Link from "next/link";
import { buttonClass, Field, Input, INPUT_CLASS } from "@/components/ui";
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS } from "@/server/audit/actions";
import type { FieldErrors } from "@/server/http/errors";

/** The Audit log page's URL search params: the names GET /api/v1/audit-log takes. */
export const AUDIT_LOG_PARAMS = ["actor", "action", "target", "from", "to", "cursor"] as const;
export type AuditLogParams = Partial<Record<(typeof AUDIT_LOG_PARAMS)[number], string>>;

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A value a date input can show; anything else (a date-time from a hand-made link, a typo) stays as text. */
function isPlainDate(value: string | undefined): boolean {
  if (!value || !PLAIN_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function DateField({ name, label, value, errors }: { name: "from" | "to"; label: string; value?: string; errors?: string[] }) {
  return (
    <Field label={label} htmlFor={`audit-${name}`} errors={errors}>
      <Input id={`audit-${name}`} name={name} type={value && !isPlainDate(value) ? "text" : "date"} defaultValue={value ?? ""} />
    </Field>
  );
}

/**
 * The filters, as a GET form: the state lives in the URL (shareable; Back and Forward work) and applying them
 * starts at the first page, since the form carries no cursor. `values` are what the URL holds, refused ones
 * included, so a wrong value stays where it was typed with its error under it.
 */
export function AuditFilters({
  basePath,
  values,
  errors,
  actors,
  currentUserId,
}: {
  basePath: string;
  values: AuditLogParams;
  errors: FieldErrors;
  actors: { id: string; type: "user" | "api_key"; name: string | null }[];
  currentUserId: string;
}) {
  const knownActor = !values.actor || ["system", "scanner"].includes(values.actor) || actors.some((actor) => actor.id === values.actor);
  const knownAction = !values.action || (AUDIT_ACTIONS as readonly string[]).includes(values.action);
  const filtered = Boolean(values.actor || values.action || values.target || values.from || values.to);

  return (
    <Form
      action={basePath}
      role="search"
      aria-label="Filter the audit log"
      className="grid items-start gap-3 rounded-lg border border-neutral-200 bg-white p-4 text-neutral-900 shadow-xs sm:grid-cols-2 xl:grid-cols-3"
    >
      <Field label="Who" htmlFor="audit-actor" errors={errors.actor}>
        <select id="audit-actor" name="actor" defaultValue={values.actor ?? ""} className={INPUT_CLASS}>
          <option value="">Anyone</option>
          {actors.map((actor) => (
            <option key={actor.id} value={actor.id}>
              {actor.name ?? actor.id}
              {actor.type === "api_key" ? " (API key)" : actor.id === currentUserId ? " (you)" : ""}
            </option>
          ))}
          <option value="system">Heyoo itself (expiries, ends of grace periods)</option>
          <option value="scanner">Leaked-key reports</option>
          {knownActor ? null : <option value={values.actor}>{values.actor}</option>}
        </select>
      </Field>
      <Field label="Action" htmlFor="audit-action" errors={errors.action}>
        <select id="audit-action" name="action" defaultValue={values.action ?? ""} className={INPUT_CLASS}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {AUDIT_ACTION_LABELS[action]}
            </option>
          ))}
          {knownAction ? null : <option value={values.action}>{values.action}</option>}
        </select>
      </Field>
      <Field label="Key or other target (id)" htmlFor="audit-target" errors={errors.target} hint="Or choose a name in the log.">
        <Input id="audit-target" name="target" defaultValue={values.target ?? ""} spellCheck={false} autoComplete="off" />
      </Field>
      <DateField name="from" label="From (UTC)" value={values.from} errors={errors.from} />
      <DateField name="to" label="To (UTC)" value={values.to} errors={errors.to} />
      <div className="flex flex-wrap items-center gap-2 sm:pt-6">
        <button type="submit" className={buttonClass("secondary")}>
          Apply filters
        </button>
        {filtered ? (
          <Link href={basePath} className="rounded px-2 py-1.5 text-sm underline underline-offset-2">
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

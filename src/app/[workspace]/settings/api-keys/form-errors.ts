// Splits an action's failure into the errors shown under fields and the one shown in a Notice.

export interface ActionFailure {
  ok: false;
  message: string;
  fieldErrors?: Record<string, string[]>;
}

/** Whether the fieldErrors entry `path` belongs to the field `name`: the field itself or a part of it ("ipAllowlist.3"). */
function belongsTo(path: string, name: string): boolean {
  return path === name || path.startsWith(`${name}.`);
}

/**
 * `groups` maps a field of the form to the fieldErrors keys shown under it (with their parts: "permissions"
 * takes "permissions.0" too). Errors of other keys, and the message when no field shows an error, go to the
 * notice.
 */
export function splitErrors<G extends string>(
  failure: ActionFailure | null,
  groups: Record<G, readonly string[]>,
): { fields: Partial<Record<G, string[]>>; notice: string | null } {
  if (!failure) return { fields: {}, notice: null };
  const fieldErrors = failure.fieldErrors ?? {};
  const fields: Partial<Record<G, string[]>> = {};
  const shown = new Set<string>();
  for (const group of Object.keys(groups) as G[]) {
    const keys = Object.keys(fieldErrors).filter((key) => groups[group].some((name) => belongsTo(key, name)));
    const messages = keys.flatMap((key) => fieldErrors[key] ?? []);
    keys.forEach((key) => shown.add(key));
    if (messages.length) fields[group] = [...new Set(messages)];
  }
  const rest = Object.entries(fieldErrors)
    .filter(([key]) => !shown.has(key))
    .flatMap(([, messages]) => messages);
  const notice = Object.keys(fields).length && !rest.length ? null : [failure.message, ...rest].join(" ");
  return { fields, notice };
}

export const UNEXPECTED: ActionFailure = { ok: false, message: "Something went wrong. Check your connection and try again." };

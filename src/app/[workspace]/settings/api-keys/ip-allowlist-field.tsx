"use client";

import { useState } from "react";
import { Field, INPUT_CLASS } from "@/components/ui";
import { ALLOWLIST_LIMIT, allowlistEntries, allowlistProblem } from "./shared";

/**
 * The IP allowlist of the Create and Edit dialogs: a textarea of addresses and CIDR ranges, one per line or
 * separated by commas. The entries are checked in the browser with the server's own parser once the field was
 * left (or the form submitted: `checked`), and again on every keystroke from then on, so a half-typed address is
 * not called wrong; the server's errors show while the text is the one it refused.
 */
export function IpAllowlistField({
  id,
  value,
  checked,
  serverErrors,
  disabled,
  onChange,
}: {
  id: string;
  value: string;
  /** The form was submitted: show what is wrong even if the field was never left. */
  checked: boolean;
  serverErrors?: string[];
  disabled?: boolean;
  onChange: (value: string) => void;
}) {
  const [left, setLeft] = useState(false);
  const entries = allowlistEntries(value);
  const problem = left || checked ? allowlistProblem(entries) : null;
  const errors = problem ? [problem] : serverErrors;
  const controlId = `${id}-ip-allowlist`;

  return (
    <Field
      label="IP allowlist"
      htmlFor={controlId}
      errors={errors}
      hint={
        <>
          Optional. One IPv4 or IPv6 address or CIDR range per line (or separated by commas), e.g.{" "}
          <code className="font-mono">203.0.113.7</code>, <code className="font-mono">198.51.100.0/24</code> or{" "}
          <code className="font-mono">2001:db8::/32</code>. Leave it empty to allow any address; at most {ALLOWLIST_LIMIT} entries
          {entries.length ? ` (${entries.length} now)` : ""}.
        </>
      }
    >
      <textarea
        id={controlId}
        value={value}
        rows={3}
        disabled={disabled}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        placeholder={"203.0.113.7\n2001:db8::/32"}
        onChange={(event) => onChange(event.target.value)}
        onBlur={() => setLeft(true)}
        className={`${INPUT_CLASS} resize-y font-mono text-xs leading-5`}
      />
    </Field>
  );
}

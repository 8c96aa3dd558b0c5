"use client";

import { Field, Input } from "@/components/ui";
import { EXPIRY_CHOICES, type ExpiryChoice } from "./shared";

function tomorrow(): string {
  return new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The expiry choice of the Create and Edit dialogs: never, 30 / 60 / 90 days from now, or a date. The Edit
 * dialog adds "keep" (its default), which leaves the expiry as it is.
 */
export function ExpiryField({
  id,
  value,
  date,
  errors,
  disabled,
  keepLabel,
  onChange,
  onDateChange,
}: {
  id: string;
  value: ExpiryChoice | "keep";
  date: string;
  errors?: string[];
  disabled?: boolean;
  keepLabel?: string;
  onChange: (value: ExpiryChoice | "keep") => void;
  onDateChange: (date: string) => void;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label="Expiration" htmlFor={`${id}-expiry`} errors={value === "custom" ? undefined : errors}>
        <select
          id={`${id}-expiry`}
          value={value}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value as ExpiryChoice | "keep")}
          aria-invalid={value !== "custom" && !!errors?.length}
          aria-describedby={value !== "custom" && errors?.length ? `${id}-expiry-error` : undefined}
          className="block w-full rounded-md border border-neutral-300 bg-white px-3 py-2 text-sm shadow-xs outline-none focus:border-neutral-900 focus:ring-1 focus:ring-neutral-900"
        >
          {keepLabel ? <option value="keep">{keepLabel}</option> : null}
          {EXPIRY_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </Field>
      {value === "custom" ? (
        <Field label="Expiration date" htmlFor={`${id}-expiry-date`} errors={errors} hint="The key works until the end of this day (UTC).">
          <Input
            id={`${id}-expiry-date`}
            type="date"
            min={tomorrow()}
            value={date}
            disabled={disabled}
            onChange={(event) => onDateChange(event.target.value)}
            aria-invalid={!!errors?.length}
            aria-describedby={errors?.length ? `${id}-expiry-date-error` : undefined}
          />
        </Field>
      ) : null}
    </div>
  );
}

"use client";

import { useId, type ReactNode } from "react";
import {
  KEY_KINDS,
  KEY_KIND_LABELS,
  KEY_OPTIONS,
  KEY_RESOURCES,
  describePermission,
  scopesForKind,
  type AccessLevel,
  type KeyKind,
  type KeyResource,
  type Permission,
} from "@/server/auth/permissions";
import { missingPermissionReason } from "./shared";

const KIND_DESCRIPTIONS: Record<KeyKind, string> = {
  all: "Full access to all resources.",
  read_only: "Read-only access to all resources.",
  restricted: "Choose the access to each resource.",
};

const LEVELS: { value: AccessLevel; label: string }[] = [
  { value: "none", label: "None" },
  { value: "read", label: "Read" },
  { value: "write", label: "Write" },
];

export type AccessMap = Record<KeyResource, AccessLevel>;

export function noAccess(): AccessMap {
  return Object.fromEntries(KEY_RESOURCES.map((resource) => [resource.id, "none"])) as AccessMap;
}

/** A radio shown as a card: labelled by its title alone, described by its text. */
export function RadioCard({
  name,
  value,
  title,
  description,
  checked,
  disabled,
  onChange,
}: {
  name: string;
  value: string;
  title: string;
  description: ReactNode;
  checked: boolean;
  disabled?: boolean;
  onChange: () => void;
}) {
  const id = useId();
  return (
    <label
      className={`flex gap-2.5 rounded-md border p-3 text-sm transition ${
        checked ? "border-neutral-900 ring-1 ring-neutral-900" : "border-neutral-300"
      } ${disabled ? "cursor-not-allowed bg-neutral-50 text-neutral-500" : "cursor-pointer hover:border-neutral-500"}`}
    >
      <input
        type="radio"
        name={name}
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={onChange}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
        className="mt-0.5 accent-neutral-900"
      />
      <span>
        <span id={`${id}-title`} className="block font-medium">
          {title}
        </span>
        <span id={`${id}-description`} className="mt-0.5 block text-xs text-neutral-500">
          {description}
        </span>
      </span>
    </label>
  );
}

/**
 * The key's permissions: the three kinds and, for Restricted, None / Read / Write per resource. Everything
 * comes from the permission table; what the user lacks is disabled with the reason.
 */
export function PermissionsPicker({
  kind,
  access,
  heldScopes,
  errors,
  disabled,
  onKindChange,
  onAccessChange,
  options,
  onOptionChange,
}: {
  kind: KeyKind;
  access: AccessMap;
  heldScopes: readonly string[];
  errors?: string[];
  disabled?: boolean;
  onKindChange: (kind: KeyKind) => void;
  onAccessChange: (resource: KeyResource, level: AccessLevel) => void;
  /** The chosen KEY_OPTIONS (managing everyone's keys, creating machine users). */
  options: readonly Permission[];
  onOptionChange: (option: Permission, chosen: boolean) => void;
}) {
  const id = useId();
  const held = new Set(heldScopes);
  const levelScopes = scopesForKind("restricted", access);
  const lacking = KEY_RESOURCES.flatMap((resource) =>
    resource.actions.filter((action) => !held.has(`${resource.id}.${action}`)).map((action) => `${resource.label}: ${action}`),
  );

  return (
    <fieldset aria-describedby={errors?.length ? `${id}-error` : undefined} className="space-y-3">
      <legend className="mb-1 text-sm font-medium text-neutral-800">Permissions</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {KEY_KINDS.map((option) => (
          <RadioCard
            key={option}
            name={`${id}-kind`}
            value={option}
            title={KEY_KIND_LABELS[option]}
            description={KIND_DESCRIPTIONS[option]}
            checked={kind === option}
            disabled={disabled}
            onChange={() => onKindChange(option)}
          />
        ))}
      </div>

      {kind === "all" && lacking.length ? (
        <p className="text-xs text-neutral-500">A key never gets a permission you lack, so it will not have {lacking.join(", ")}.</p>
      ) : null}

      {kind === "restricted" ? (
        <div className="overflow-hidden rounded-md border border-neutral-200">
          <div
            aria-hidden="true"
            className="grid grid-cols-[1fr_repeat(3,5.5rem)] bg-neutral-50 px-3 py-2 text-xs font-medium text-neutral-500"
          >
            <span>Resource</span>
            {LEVELS.map((level) => (
              <span key={level.value} className="text-center">
                {level.label}
              </span>
            ))}
          </div>
          {KEY_RESOURCES.map((resource) => {
            const labelId = `${id}-${resource.id}`;
            const actions: readonly string[] = resource.actions;
            return (
              <div
                key={resource.id}
                role="radiogroup"
                aria-labelledby={labelId}
                className="grid grid-cols-[1fr_repeat(3,5.5rem)] items-center border-t border-neutral-100 px-3 py-2 text-sm"
              >
                <span id={labelId} className="font-medium">
                  {resource.label}
                </span>
                {LEVELS.map((level) => {
                  if (level.value !== "none" && !actions.includes(level.value)) {
                    return (
                      <span key={level.value} className="text-center text-xs text-neutral-400" title={`${resource.label} is read-only`}>
                        <span aria-hidden="true">—</span>
                        <span className="sr-only">{`${resource.label} has no ${level.label}`}</span>
                      </span>
                    );
                  }
                  const scope = `${resource.id}.${level.value}`;
                  const reason = level.value !== "none" && !held.has(scope) ? missingPermissionReason(scope) : null;
                  const reasonId = `${labelId}-${level.value}-reason`;
                  return (
                    <label
                      key={level.value}
                      title={reason ?? undefined}
                      className={`flex flex-col items-center gap-0.5 ${reason || disabled ? "cursor-not-allowed" : "cursor-pointer"}`}
                    >
                      <input
                        type="radio"
                        name={labelId}
                        value={level.value}
                        aria-label={`${resource.label}: ${level.label}`}
                        aria-describedby={reason ? reasonId : undefined}
                        checked={access[resource.id] === level.value}
                        disabled={disabled || reason !== null}
                        onChange={() => onAccessChange(resource.id, level.value)}
                        className="accent-neutral-900"
                      />
                      {reason ? (
                        <span id={reasonId} className="text-[11px] leading-tight text-neutral-500">
                          {reason}
                        </span>
                      ) : null}
                    </label>
                  );
                })}
              </div>
            );
          })}
          {KEY_OPTIONS.map((option) => {
            const reason = held.has(option.permission) ? null : missingPermissionReason(option.permission);
            const needed = `${id}-${option.permission}-needs`;
            const needsMet = levelScopes.includes(option.needs);
            return (
              <label
                key={option.permission}
                title={reason ?? undefined}
                className={`flex items-start gap-2 border-t border-neutral-100 px-3 py-2 text-sm ${reason || disabled || !needsMet ? "cursor-not-allowed text-neutral-500" : "cursor-pointer"}`}
              >
                <input
                  type="checkbox"
                  checked={needsMet && options.includes(option.permission)}
                  disabled={disabled || reason !== null || !needsMet}
                  aria-describedby={needed}
                  onChange={(event) => onOptionChange(option.permission, event.target.checked)}
                  className="mt-0.5 accent-neutral-900"
                />
                <span>
                  <span className="block font-medium">{option.label}</span>
                  <span id={needed} className="block text-xs text-neutral-500">
                    {reason ?? `Lets the key ${describePermission(option.permission)}. Needs ${option.needs}.`}
                  </span>
                </span>
              </label>
            );
          })}
        </div>
      ) : null}

      {errors?.map((message) => (
        <p key={message} id={`${id}-error`} className="text-xs text-red-600">
          {message}
        </p>
      ))}
      <p className="text-xs text-neutral-500">Give each key the least privilege it needs.</p>
    </fieldset>
  );
}

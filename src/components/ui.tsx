import {
  cloneElement,
  isValidElement,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
} from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-neutral-900 text-white hover:bg-neutral-700 disabled:bg-neutral-500",
  secondary: "border border-neutral-300 bg-white text-neutral-900 hover:bg-neutral-100 disabled:text-neutral-500",
  danger: "bg-red-700 text-white hover:bg-red-600 disabled:bg-red-400",
  ghost: "text-neutral-700 hover:bg-neutral-100 disabled:text-neutral-500",
};

/**
 * Every button's focus ring: two pixels of the text colour, offset from the button by the page colour, so it
 * shows on a dark (primary, danger) button as well as on a light one, in light and dark mode.
 */
export const FOCUS_RING =
  "outline-none focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:ring-offset-2 focus-visible:ring-offset-white";

/** What every button says while its request is in flight: one wording across the app. */
export const PENDING_LABEL = "Please wait…";

export function buttonClass(variant: Variant = "primary", extra = ""): string {
  return `inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium transition disabled:cursor-not-allowed ${FOCUS_RING} ${VARIANTS[variant]} ${extra}`;
}

export function Button({ variant = "primary", className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button className={buttonClass(variant, className)} {...props} />;
}

/**
 * The submit button of every form: disabled while the form's request is in flight and reading PENDING_LABEL,
 * so a second click cannot send a second request (useForm also refuses a second submit).
 */
export function SubmitButton({
  pending,
  children,
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; pending: boolean }) {
  return (
    <Button type="submit" disabled={pending || disabled} aria-disabled={pending || disabled || undefined} {...props}>
      {pending ? PENDING_LABEL : children}
    </Button>
  );
}

export const INPUT_CLASS =
  "block w-full min-w-0 rounded-md border border-neutral-400 bg-white px-3 py-2 text-sm text-neutral-900 shadow-xs outline-none placeholder:text-neutral-500 focus:border-blue-600 focus:ring-2 focus:ring-blue-600 disabled:bg-neutral-100 disabled:text-neutral-600 aria-invalid:border-red-600";

export function Input({ className = "", ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`${INPUT_CLASS} ${className}`} {...props} />;
}

/**
 * A label, its control, a hint and the field's errors. The errors are tied to the control
 * (aria-describedby, aria-invalid), so a screen reader reads them when the control is focused.
 */
export function Field({
  label,
  htmlFor,
  errors,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  errors?: string[];
  hint?: ReactNode;
  children: ReactNode;
}) {
  const invalid = Boolean(errors?.length);
  const describedBy = invalid ? `${htmlFor}-error` : hint ? `${htmlFor}-hint` : undefined;
  const control = isValidElement(children)
    ? cloneElement(children as ReactElement<Record<string, unknown>>, {
        "aria-describedby": describedBy,
        "aria-invalid": invalid || undefined,
      })
    : children;
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium text-neutral-800">
        {label}
      </label>
      {control}
      {hint && !invalid ? (
        <p id={`${htmlFor}-hint`} className="text-xs text-neutral-600">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <div id={`${htmlFor}-error`} data-testid="field-error" className="space-y-0.5 text-xs text-red-700">
          {errors!.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function Card({
  title,
  description,
  children,
  footer,
}: {
  title?: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="min-w-0 rounded-lg border border-neutral-200 bg-white shadow-xs">
      {title ? (
        <header className="border-b border-neutral-200 px-4 py-4 sm:px-5">
          <h2 className="text-base font-semibold">{title}</h2>
          {description ? <p className="mt-1 text-sm text-neutral-600">{description}</p> : null}
        </header>
      ) : null}
      <div className="px-4 py-4 sm:px-5">{children}</div>
      {footer ? (
        <footer className="flex flex-wrap justify-end gap-2 rounded-b-lg border-t border-neutral-200 bg-neutral-50 px-4 py-3 sm:px-5">
          {footer}
        </footer>
      ) : null}
    </section>
  );
}

/**
 * A message for the user. An error is an alert (read out at once by a screen reader); anything else a polite
 * status (and `role` lets tests find it, apart from Next's route announcer).
 */
export function Notice({ tone = "error", children }: { tone?: "error" | "warning" | "success" | "info"; children: ReactNode }) {
  const tones = {
    error: "border-red-200 bg-red-50 text-red-800",
    warning: "border-amber-200 bg-amber-50 text-amber-900",
    success: "border-green-200 bg-green-50 text-green-800",
    info: "border-neutral-200 bg-neutral-50 text-neutral-700",
  };
  return (
    <p role={tone === "error" ? "alert" : "status"} data-tone={tone} className={`rounded-md border px-3 py-2 text-sm ${tones[tone]}`}>
      {children}
    </p>
  );
}

export function Badge({ children, tone = "neutral" }: { children: ReactNode; tone?: "neutral" | "blue" | "amber" | "red" }) {
  const tones = {
    neutral: "bg-neutral-100 text-neutral-700",
    blue: "bg-blue-50 text-blue-700",
    amber: "bg-amber-50 text-amber-800",
    // A danger the reader must not miss (a leaked key): the strong red, white text, in both schemes.
    red: "bg-red-700 text-white",
  };
  return <span className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

"use client";

import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.offsetParent !== null || element === document.activeElement);
}

/**
 * An accessible modal dialog: role="dialog" with aria-modal and a title, focus moved in on open (to the
 * element marked data-autofocus, else the first focusable one), kept inside while open and given back to
 * the opener on close; Escape closes unless `canClose` is false (e.g. while a request is in flight).
 * The page behind it is made inert by the caller.
 */
export function Modal({
  labelledBy,
  describedBy,
  onClose,
  canClose = true,
  wide = false,
  children,
}: {
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  canClose?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Read while rendering, before the commit that makes the page behind inert (which takes focus away).
  const [opener] = useState(() => (typeof document !== "undefined" && document.activeElement instanceof HTMLElement ? document.activeElement : null));

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    const dialog = ref.current;
    if (!dialog) return;
    if (event.key === "Escape") {
      event.preventDefault();
      if (canClose) onClose();
      return;
    }
    if (event.key !== "Tab") return;
    const items = focusables(dialog);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      event.preventDefault();
      dialog.focus();
    } else if (!dialog.contains(document.activeElement)) {
      event.preventDefault();
      first.focus();
    } else if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  useEffect(() => {
    const dialog = ref.current;
    if (dialog) (dialog.querySelector<HTMLElement>("[data-autofocus]") ?? focusables(dialog)[0] ?? dialog).focus();
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener("keydown", listener);
    return () => {
      document.removeEventListener("keydown", listener);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  return (
    <div className="fixed inset-0 z-50 overflow-y-auto bg-neutral-900/40 p-4">
      <div className="flex min-h-full items-start justify-center sm:items-center">
        <div
          ref={ref}
          role="dialog"
          aria-modal="true"
          aria-labelledby={labelledBy}
          aria-describedby={describedBy}
          tabIndex={-1}
          className={`w-full ${wide ? "max-w-2xl" : "max-w-md"} rounded-lg border border-neutral-200 bg-white shadow-xl outline-none`}
        >
          {children}
        </div>
      </div>
    </div>
  );
}

/** The standard layout inside a Modal: title, body, and a footer with the buttons. */
export function DialogLayout({ titleId, title, children, footer }: { titleId: string; title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <>
      <header className="border-b border-neutral-200 px-5 py-4">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
      </header>
      <div className="space-y-5 px-5 py-4">{children}</div>
      <footer className="flex justify-end gap-2 rounded-b-lg border-t border-neutral-200 bg-neutral-50 px-5 py-3">{footer}</footer>
    </>
  );
}

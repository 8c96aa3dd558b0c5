"use client";

import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.offsetParent !== null || element === document.activeElement,
  );
}

/** Where focus goes when the element that opened a dialog is gone (the row of a deleted key, say). */
function fallbackTarget(): HTMLElement | null {
  return document.querySelector<HTMLElement>("[data-focus-fallback]") ?? document.getElementById("content");
}

/**
 * Gives focus back to the opener once the dialog closed; when the opener is removed (now, or when the page
 * refreshes a moment later because the thing it belonged to was deleted), to the page's fallback target
 * instead of leaving it on the body.
 */
function returnFocus(opener: HTMLElement | null) {
  if (opener?.isConnected) opener.focus();
  const stray = () => document.activeElement === null || document.activeElement === document.body;
  if (!opener?.isConnected) {
    if (stray()) fallbackTarget()?.focus();
    return;
  }
  const observer = new MutationObserver(() => {
    if (opener.isConnected) return;
    observer.disconnect();
    if (stray()) fallbackTarget()?.focus();
  });
  observer.observe(document.body, { childList: true, subtree: true });
  // The refresh that removes it comes within a few seconds or not at all.
  setTimeout(() => observer.disconnect(), 10_000);
}

/**
 * An accessible modal dialog: role="dialog" with aria-modal and a title, rendered in a portal with the rest of
 * the page made inert while it is open; focus moved in on open (to the element marked data-autofocus, else the
 * first focusable one), kept inside while open and given back to the opener on close (or to the page's
 * fallback when the opener is gone); Escape closes unless `canClose` is false (e.g. while a request is in
 * flight). It fits any screen: at most the viewport wide, scrolling inside when taller.
 * (Kept hand-written rather than a library's: docs/decisions/011-ui-primitives.md.)
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
  const layer = useRef<HTMLDivElement>(null);
  // Read while rendering, before the commit that makes the page behind inert (which takes focus away).
  const [opener] = useState(() =>
    typeof document !== "undefined" && document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );

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
    // Everything else in the body is inert while the dialog is open: no focus, no clicks, hidden from
    // screen readers. Only what this dialog made inert is given back.
    // (aria-hidden as well as inert: older assistive technology and role-based test queries read only that.)
    const madeInert = [...document.body.children].filter(
      (element): element is HTMLElement => element instanceof HTMLElement && element !== layer.current && !element.inert,
    );
    for (const element of madeInert) {
      element.inert = true;
      element.setAttribute("aria-hidden", "true");
    }
    const dialog = ref.current;
    if (dialog) (dialog.querySelector<HTMLElement>("[data-autofocus]") ?? focusables(dialog)[0] ?? dialog).focus();
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener("keydown", listener);
    return () => {
      document.removeEventListener("keydown", listener);
      for (const element of madeInert) {
        element.inert = false;
        element.removeAttribute("aria-hidden");
      }
      returnFocus(opener);
    };
  }, [opener]);

  return createPortal(
    <div ref={layer} className="fixed inset-0 z-50 overflow-y-auto bg-black/60 p-3 sm:p-4">
      <div className="flex min-h-full items-start justify-center sm:items-center">
        <div
          ref={ref}
          role="dialog"
          aria-modal="true"
          aria-labelledby={labelledBy}
          aria-describedby={describedBy}
          tabIndex={-1}
          className={`w-full min-w-0 ${wide ? "max-w-2xl" : "max-w-md"} rounded-lg border border-neutral-200 bg-white shadow-xl outline-none`}
        >
          {children}
        </div>
      </div>
    </div>,
    document.body,
  );
}

/** The standard layout inside a Modal: title, body, and a footer with the buttons (wrapping on a phone). */
export function DialogLayout({
  titleId,
  title,
  children,
  footer,
}: {
  titleId: string;
  title: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <>
      <header className="border-b border-neutral-200 px-4 py-4 sm:px-5">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
      </header>
      <div className="min-w-0 space-y-5 px-4 py-4 sm:px-5">{children}</div>
      <footer className="flex flex-wrap justify-end gap-2 rounded-b-lg border-t border-neutral-200 bg-neutral-50 px-4 py-3 sm:px-5">
        {footer}
      </footer>
    </>
  );
}

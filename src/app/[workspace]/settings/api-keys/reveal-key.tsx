"use client";

import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";
import { CopyButton } from "@/components/copy-button";
import { DialogLayout, Modal } from "@/components/modal";
import { Button, Input, buttonClass } from "@/components/ui";

// The one-time reveal of a new key's secret: after Create, and after a roll.

/**
 * The one-time reveal. Closing it (Done, Escape, a click outside) before the key was copied — with a Copy
 * button or from the field — first asks whether it was: one question, to confirm or to go back to the key.
 */
export function RevealKey({
  titleId,
  title,
  secret,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  secret: string;
  onClose: () => void;
  /** What the reveal says first: which key this is (and, after a roll, what happens to the old one). */
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  const [asking, setAsking] = useState(false);
  const markCopied = () => setCopied(true);
  const requestClose = () => {
    if (copied) onClose();
    else setAsking(true);
  };
  const onBackdropPress = useEffectEvent(requestClose);

  // A press on the backdrop: anywhere outside the dialog.
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dialog = body.current?.closest('[role="dialog"]');
    const listener = (event: PointerEvent) => {
      if (dialog && event.target instanceof Node && !dialog.contains(event.target) && event.button === 0) onBackdropPress();
    };
    document.addEventListener("pointerdown", listener);
    return () => document.removeEventListener("pointerdown", listener);
  }, []);

  return (
    <Modal labelledBy={titleId} onClose={asking ? () => setAsking(false) : requestClose} wide>
      <div ref={body}>
        {asking ? (
          <ConfirmClose titleId={titleId} onBack={() => setAsking(false)} onConfirm={onClose} />
        ) : (
          <RevealBody titleId={titleId} title={title} secret={secret} onCopied={markCopied} onDone={requestClose}>
            {children}
          </RevealBody>
        )}
      </div>
    </Modal>
  );
}

function ConfirmClose({ titleId, onBack, onConfirm }: { titleId: string; onBack: () => void; onConfirm: () => void }) {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <DialogLayout
      titleId={titleId}
      title="Have you copied your key?"
      footer={
        <>
          <Button type="button" variant="ghost" onClick={onConfirm}>
            Close without copying
          </Button>
          <button ref={back} type="button" className={buttonClass("primary")} onClick={onBack}>
            Go back
          </button>
        </>
      }
    >
      <p className="text-sm text-neutral-700">It will not be shown again.</p>
    </DialogLayout>
  );
}

function RevealBody({
  titleId,
  title,
  secret,
  onCopied,
  onDone,
  children,
}: {
  titleId: string;
  title: string;
  secret: string;
  onCopied: () => void;
  onDone: () => void;
  children: ReactNode;
}) {
  const keyRow = useRef<HTMLDivElement>(null);
  const [origin] = useState(() => (typeof window === "undefined" ? "" : window.location.origin));
  const curl = `curl ${origin}/api/v1/me -H "Authorization: Bearer ${secret}"`;

  useEffect(() => {
    keyRow.current?.querySelector("input")?.focus();
  }, []);

  return (
    <DialogLayout
      titleId={titleId}
      title={title}
      footer={
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      }
    >
      {children}
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Copy your API key now and store it somewhere safe. You won&apos;t be able to see it again.
      </p>
      <div ref={keyRow} className="flex gap-2">
        <Input
          readOnly
          value={secret}
          aria-label="API key"
          className="font-mono text-xs"
          onFocus={(event) => event.target.select()}
          onCopy={onCopied}
        />
        <CopyButton value={secret} accessibleName="Copy key" onCopied={onCopied} />
      </div>
      <div className="space-y-2">
        <p className="text-sm font-medium text-neutral-800">Try it</p>
        <div className="flex items-start gap-2">
          <pre className="min-w-0 flex-1 rounded-md bg-neutral-900 px-3 py-2 text-xs break-all whitespace-pre-wrap text-neutral-100">
            <code onCopy={onCopied}>{curl}</code>
          </pre>
          <CopyButton value={curl} label="Copy command" onCopied={onCopied} />
        </div>
        <p className="text-xs text-neutral-500">Send the key as a bearer token in the Authorization header of every request.</p>
      </div>
    </DialogLayout>
  );
}

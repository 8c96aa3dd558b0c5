"use client";

import { useState } from "react";
import { Button } from "./ui";

/**
 * Copies `value`. `label` is what it reads; `accessibleName` names it for screen readers when several copy
 * buttons share one label (e.g. "Copy record value"). "Copied" is announced through a live region.
 */
export function CopyButton({
  value,
  label = "Copy",
  accessibleName,
  onCopied,
  className,
}: {
  value: string;
  label?: string;
  accessibleName?: string;
  onCopied?: () => void;
  className?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <Button
      type="button"
      variant="secondary"
      aria-label={accessibleName}
      className={className}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setState("copied");
          onCopied?.();
        } catch {
          // No clipboard (an insecure origin, or permission refused): say so rather than pretend.
          setState("failed");
        }
        setTimeout(() => setState("idle"), 2000);
      }}
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </Button>
  );
}

"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui";
import { verifyDomainAction } from "./actions";

/** Looks the domain's TXT record up now and says what was found; the page shows the new status. */
export function VerifyButton({ slug, domainId, hostname }: { slug: string; domainId: string; hostname: string }) {
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function verify() {
    startTransition(async () => {
      try {
        const result = await verifyDomainAction(slug, domainId);
        if (result.ok) setMessage({ tone: result.data.check.outcome === "verified" ? "success" : "error", text: result.data.check.detail });
        else setMessage({ tone: "error", text: result.message });
      } catch {
        setMessage({ tone: "error", text: "Something went wrong. Check your connection and try again." });
      }
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button type="button" variant="secondary" onClick={verify} disabled={pending} aria-label={`Verify ${hostname}`}>
        {pending ? "Verifying…" : "Verify"}
      </Button>
      <p role="status" className={`min-w-0 text-xs ${message?.tone === "success" ? "text-green-700" : "text-red-700"}`}>
        {message?.text}
      </p>
    </div>
  );
}

"use client";

import { RelativeTime, expiryState, useClock } from "@/components/relative-time";

// How a key's times read in the keys list and on the workspace home (inside a <ClockProvider>).

/** "Never used", or when the key was last used. */
export function LastUsed({ iso }: { iso: string | null }) {
  return iso ? <RelativeTime iso={iso} /> : <span className="text-neutral-500">Never used</span>;
}

/** "No expiry", "Expired" (when, on hover), highlighted within 7 days, else when it expires. */
export function Expiry({ iso }: { iso: string | null }) {
  const { now } = useClock();
  const state = expiryState(iso, now);
  if (state === "none" || !iso) {
    return (
      <span data-expiry="none" className="text-neutral-500">
        No expiry
      </span>
    );
  }
  if (state === "expired") {
    return (
      <span data-expiry="expired" className="inline-flex items-center gap-1.5">
        <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-700">Expired</span>
        <RelativeTime iso={iso} className="text-neutral-600" />
      </span>
    );
  }
  if (state === "soon") {
    return (
      <span data-expiry="soon" className="inline-flex items-center gap-1.5">
        <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800">Expires soon</span>
        <RelativeTime iso={iso} className="font-medium text-amber-800" />
      </span>
    );
  }
  return (
    <span data-expiry="later">
      <RelativeTime iso={iso} />
    </span>
  );
}

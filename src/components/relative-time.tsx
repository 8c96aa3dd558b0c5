"use client";

import { createContext, useContext, useEffect, useId, useState, type ReactNode } from "react";
import { EXPIRING_SOON_MS } from "@/server/api-keys/expiry";

// Times as people read them ("3 minutes ago", "in 5 days"), with the exact time on hover and on focus.
//
// The server renders against the `now` it passes down, with the exact time in UTC and English, so the first
// client render is identical (no hydration mismatch); after hydration the browser's clock, language and time
// zone take over, and the texts refresh every 30 seconds.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Clock {
  now: number;
  /** false during the server render and the hydration that must match it. */
  local: boolean;
}

const ClockContext = createContext<Clock | null>(null);

export function ClockProvider({ serverNow, children }: { serverNow: string; children: ReactNode }) {
  const [clock, setClock] = useState<Clock>(() => ({ now: new Date(serverNow).getTime(), local: false }));
  useEffect(() => {
    const tick = () => setClock({ now: Date.now(), local: true });
    tick();
    const timer = setInterval(tick, 30 * SECOND);
    return () => clearInterval(timer);
  }, []);
  return <ClockContext value={clock}>{children}</ClockContext>;
}

export function useClock(): Clock {
  const clock = useContext(ClockContext);
  if (!clock) throw new Error("useClock needs a <ClockProvider> above it.");
  return clock;
}

// Each unit up to a threshold, as people round: 44 minutes, then "1 hour"; 21 hours, then "1 day"; 44 days
// (so 30, 60 and 90-day expiries read "in 30 days"... "in 3 months"), then months; 10 months, then years.
const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ["minute", MINUTE, 45 * MINUTE],
  ["hour", HOUR, 22 * HOUR],
  ["day", DAY, 45 * DAY],
  ["month", 30.44 * DAY, 320 * DAY],
  ["year", 365.25 * DAY, Infinity],
];

/** "3 minutes ago", "in 5 days", "yesterday", "just now": the unit that fits, rounded. */
export function relativeText(time: number, now: number, locale = "en"): string {
  const delta = time - now;
  const size = Math.abs(delta);
  // Either way: the browser's clock and the database's differ by a few seconds, and a key created a moment
  // ago must not read "in a few seconds".
  if (size < 45 * SECOND) return "just now";
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const [unit, length] = UNITS.find(([, , below]) => size < below) ?? UNITS[UNITS.length - 1]!;
  return format.format(Math.sign(delta) * Math.max(1, Math.round(size / length)), unit);
}

/** Date, time and zone spelled out: dateStyle and timeStyle cannot be combined with timeZoneName. */
const EXACT: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
};

export function exactText(time: number, local: boolean): string {
  return local
    ? new Intl.DateTimeFormat(undefined, EXACT).format(time)
    : new Intl.DateTimeFormat("en", { ...EXACT, timeZone: "UTC" }).format(time);
}

/**
 * A `<time>` showing the relative text, focusable, with the exact time in a tooltip that hover and keyboard
 * focus show (and that is its accessible description).
 */
export function RelativeTime({
  iso,
  className = "",
  children,
}: {
  iso: string;
  className?: string;
  children?: (relative: string) => ReactNode;
}) {
  const { now, local } = useClock();
  const id = useId();
  const time = new Date(iso).getTime();
  const relative = relativeText(time, now, local ? undefined : "en");
  return (
    <span className="group relative inline-block">
      <time
        dateTime={iso}
        tabIndex={0}
        aria-describedby={`${id}-exact`}
        className={`rounded-sm underline decoration-neutral-400 decoration-dotted underline-offset-2 outline-none focus-visible:ring-2 focus-visible:ring-blue-600 ${className}`}
      >
        {children ? children(relative) : relative}
      </time>
      <span
        id={`${id}-exact`}
        role="tooltip"
        className="pointer-events-none absolute bottom-full left-0 z-20 mb-1 hidden rounded bg-neutral-900 px-2 py-1 text-xs font-normal whitespace-nowrap text-white shadow group-focus-within:block group-hover:block"
      >
        {exactText(time, local)}
      </span>
    </span>
  );
}

/** How a key's expiry reads: none, expired, soon (within 7 days) or later. */
export function expiryState(expiresAt: string | null, now: number): "none" | "expired" | "soon" | "later" {
  if (expiresAt === null) return "none";
  const time = new Date(expiresAt).getTime();
  if (time <= now) return "expired";
  return time - now <= EXPIRING_SOON_MS ? "soon" : "later";
}

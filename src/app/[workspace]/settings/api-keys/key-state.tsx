"use client";

import type { ReactNode } from "react";
import { RelativeTime, expiryState, useClock } from "@/components/relative-time";
import { Badge, Button } from "@/components/ui";
import type { ApiKey } from "@/server/api-keys/schemas";

// Where a key is in its life, as the keys list says it (inside a <ClockProvider>): leaked, rolled and still
// working for a while, replaced and stopped, or the replacement of another key. An active key says nothing
// here (its expiry has its own column).

export type KeyLifeState = "active" | "rolled" | "stopped" | "expired" | "leaked";

/**
 * The key's state now. The server's status is the truth when the page was rendered; a grace period or an
 * expiry that ends while the page is open ends here too, on the browser's clock.
 */
export function lifeState(key: ApiKey, now: number): KeyLifeState {
  if (key.status === "leaked") return "leaked";
  if (key.status === "rolled" && key.roll && Date.parse(key.roll.stopsAt) <= now) return "stopped";
  if (key.status === "active" && expiryState(key.expiresAt, now) === "expired") return "expired";
  return key.status;
}

/** Roll is offered for a key that works (or leaked: its replacement is what the owner needs) and was never rolled. */
export function canRoll(key: ApiKey, now: number): boolean {
  const state = lifeState(key, now);
  return !key.roll && (state === "active" || state === "leaked");
}

/** Only links that open a web page: a report's URL is someone else's text. */
function webUrl(text: string | null): URL | null {
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

function requestsSinceRoll(count: number): string {
  if (count === 0) return "No requests since the roll";
  return `${count.toLocaleString("en")} ${count === 1 ? "request" : "requests"} since the roll`;
}

export function KeyState({
  apiKey,
  partialKeyOf,
  describedBy,
  onStop,
}: {
  apiKey: ApiKey;
  /** The display form of another key of the list, when it is on this page. */
  partialKeyOf: (id: string) => string | undefined;
  describedBy: string;
  /** Present when the user may stop the key: opens the confirmation. */
  onStop?: () => void;
}) {
  const { now } = useClock();
  const state = lifeState(apiKey, now);
  const { roll, leak, replaces } = apiKey;
  const replacement = roll?.replacedBy ? partialKeyOf(roll.replacedBy.id) : undefined;
  const predecessor = replaces ? partialKeyOf(replaces.id) : undefined;
  const lines: ReactNode[] = [];

  if (state === "leaked" && leak) {
    const url = webUrl(leak.url);
    lines.push(
      <p key="leak" className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
        <Badge tone="red">Leaked</Badge>
        <span className="text-red-800">
          {leak.source === "github" ? "Found by GitHub secret scanning" : "Reported publicly"} <RelativeTime iso={leak.foundAt} />
        </span>
      </p>,
      <p key="revoked" className="text-neutral-700">
        {roll
          ? "Revoked: requests with it get 401. A new key replaced it."
          : "Revoked: requests with it get 401. Roll it for a new secret, or delete it."}
      </p>,
    );
    if (leak.url) {
      lines.push(
        <p key="url" className="text-neutral-700 [overflow-wrap:anywhere]">
          Found at{" "}
          {url ? (
            <a
              href={url.href}
              target="_blank"
              rel="noopener noreferrer nofollow"
              className="font-medium underline underline-offset-2 hover:text-neutral-900"
            >
              {url.host + (url.pathname === "/" ? "" : url.pathname)}
            </a>
          ) : (
            <span>{leak.url}</span>
          )}
        </p>,
      );
    }
  } else if (state === "rolled" && roll) {
    lines.push(
      <p key="roll" className="font-medium text-amber-800">
        Rolled, stops <RelativeTime iso={roll.stopsAt} />
      </p>,
    );
  } else if ((state === "stopped" || state === "expired") && roll) {
    lines.push(
      <p key="roll" className="font-medium text-neutral-700">
        Replaced, stopped <RelativeTime iso={roll.stopsAt} />
      </p>,
    );
  }

  if (roll && state !== "leaked") {
    lines.push(
      <p key="since" className="text-neutral-600">
        {replacement ? (
          <>
            Replaced by <code className="font-mono">{replacement}</code> ·{" "}
          </>
        ) : null}
        <span data-testid="requests-since-roll">{requestsSinceRoll(roll.requestsSinceRoll)}</span>
      </p>,
    );
  }
  if (replaces) {
    lines.push(
      <p key="replaces" className="text-neutral-600">
        {predecessor ? (
          <>
            Replaces <code className="font-mono">{predecessor}</code>
          </>
        ) : (
          "Replaces an earlier key"
        )}
      </p>,
    );
  }
  if (!lines.length) return null;

  return (
    <div data-testid="key-state" data-state={state} className="mt-1.5 space-y-1 text-xs lg:max-w-64">
      {lines}
      {state === "rolled" && onStop ? (
        <Button
          type="button"
          variant="secondary"
          className="mt-0.5 px-2! py-1! text-xs! whitespace-nowrap"
          aria-describedby={describedBy}
          onClick={onStop}
        >
          Stop the old key now
        </Button>
      ) : null}
    </div>
  );
}

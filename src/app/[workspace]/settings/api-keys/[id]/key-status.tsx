"use client";

import { useClock } from "@/components/relative-time";
import { Badge } from "@/components/ui";
import type { ApiKey } from "@/server/api-keys/schemas";
import { KeyState, lifeState, type KeyLifeState } from "../key-state";

const STATE_BADGES: Record<KeyLifeState, { label: string; tone: "neutral" | "blue" | "amber" | "red" }> = {
  active: { label: "Active", tone: "blue" },
  rolled: { label: "Rolled", tone: "amber" },
  stopped: { label: "Stopped", tone: "neutral" },
  expired: { label: "Expired", tone: "neutral" },
  leaked: { label: "Leaked", tone: "red" },
};

/**
 * The key's state as the keys list tells it (inside a <ClockProvider>): a badge, then what the list's row says
 * of a roll or a leak. Stopping a rolled key early stays in the list, beside its replacement.
 */
export function KeyStatus({ apiKey, describedBy }: { apiKey: ApiKey; describedBy: string }) {
  const { now } = useClock();
  const state = lifeState(apiKey, now);
  // The leaked line of KeyState carries its own badge.
  const badge = state === "leaked" ? null : STATE_BADGES[state];
  return (
    <div data-testid="key-status" data-state={state}>
      {badge ? <Badge tone={badge.tone}>{badge.label}</Badge> : null}
      <KeyState apiKey={apiKey} partialKeyOf={() => undefined} describedBy={describedBy} />
    </div>
  );
}

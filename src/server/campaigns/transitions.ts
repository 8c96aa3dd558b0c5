import { AppError } from "@/server/http/errors";
import type { CampaignStatus } from "./schemas";

export interface ScheduleState {
  status: CampaignStatus;
  scheduledAt: Date | null;
  sentAt: Date | null;
}

/** What a request asks for; undefined: leave as it is. */
export interface ScheduleChange {
  status?: CampaignStatus;
  scheduledAt?: Date | null;
}

/** Where a new campaign starts: creating one is a transition from an empty draft. */
export const NEW_CAMPAIGN: ScheduleState = { status: "draft", scheduledAt: null, sentAt: null };

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

function invalidSchedule(message: string): AppError {
  return new AppError("unprocessable_entity", message, { fieldErrors: { scheduledAt: [message] } });
}

/**
 * The status rules, in one place: draft → scheduled (with a time in the future), draft → sent, scheduled →
 * draft (clears the time), scheduled → sent, and rescheduling a scheduled campaign. Sent is final: changing
 * its status or schedule is a conflict with its state (409), while a contradictory request is invalid (422).
 * Re-sending the current values is not a change, so a client may PATCH back what it read.
 */
export function applyScheduleChange(current: ScheduleState, change: ScheduleChange, now = new Date()): ScheduleState {
  const status = change.status ?? current.status;
  const timeChanged = change.scheduledAt !== undefined && !sameTime(change.scheduledAt, current.scheduledAt);

  if (current.status === "sent") {
    if (status !== "sent") throw new AppError("conflict", "This campaign has been sent: its status can no longer change.");
    if (timeChanged) throw new AppError("conflict", "This campaign has been sent: its schedule can no longer change.");
    return current;
  }

  switch (status) {
    case "draft":
      // Unscheduling clears the time; a draft never carries one.
      if (change.scheduledAt) throw invalidSchedule('Only a scheduled campaign has a schedule time: send "status": "scheduled" with it.');
      return { status, scheduledAt: null, sentAt: null };
    case "scheduled": {
      const scheduledAt = change.scheduledAt === undefined ? current.scheduledAt : change.scheduledAt;
      if (!scheduledAt) throw invalidSchedule("A scheduled campaign needs a schedule time.");
      // A time already accepted may have passed since; only a new one must lie ahead.
      if ((timeChanged || current.status !== "scheduled") && scheduledAt.getTime() <= now.getTime()) {
        throw invalidSchedule("Choose a time in the future.");
      }
      return { status, scheduledAt, sentAt: null };
    }
    case "sent":
      if (timeChanged) throw invalidSchedule("Leave scheduledAt out when sending a campaign.");
      return { status, scheduledAt: current.scheduledAt, sentAt: now };
  }
}

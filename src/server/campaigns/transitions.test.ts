import { describe, expect, it } from "vitest";
import { AppError } from "@/server/http/errors";
import { applyScheduleChange, NEW_CAMPAIGN, type ScheduleChange, type ScheduleState } from "./transitions";

const now = new Date("2026-11-27T12:00:00Z");
const past = new Date("2026-11-27T11:00:00Z");
const future = new Date("2026-11-28T12:00:00Z");
const later = new Date("2026-11-29T12:00:00Z");
const scheduled: ScheduleState = { status: "scheduled", scheduledAt: future, sentAt: null };
const sent: ScheduleState = { status: "sent", scheduledAt: future, sentAt: past };

function outcome(current: ScheduleState, change: ScheduleChange): ScheduleState | string {
  try {
    return applyScheduleChange(current, change, now);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return `${error.status} ${Object.keys(error.details.fieldErrors ?? {}).join(",")}`.trim();
  }
}

describe("campaign status transitions", () => {
  it.each<[string, ScheduleState, ScheduleChange, ScheduleState | string]>([
    ["draft → scheduled", NEW_CAMPAIGN, { status: "scheduled", scheduledAt: future }, scheduled],
    ["draft → scheduled without a time", NEW_CAMPAIGN, { status: "scheduled" }, "422 scheduledAt"],
    ["draft → scheduled in the past", NEW_CAMPAIGN, { status: "scheduled", scheduledAt: past }, "422 scheduledAt"],
    ["draft → scheduled at this very moment", NEW_CAMPAIGN, { status: "scheduled", scheduledAt: now }, "422 scheduledAt"],
    ["draft → sent", NEW_CAMPAIGN, { status: "sent" }, { status: "sent", scheduledAt: null, sentAt: now }],
    ["a draft given a time", NEW_CAMPAIGN, { scheduledAt: future }, "422 scheduledAt"],
    ["a draft told it has no time", NEW_CAMPAIGN, { scheduledAt: null }, NEW_CAMPAIGN],
    ["scheduled → draft clears the time", scheduled, { status: "draft" }, NEW_CAMPAIGN],
    ["scheduled → draft with a time", scheduled, { status: "draft", scheduledAt: later }, "422 scheduledAt"],
    ["rescheduling", scheduled, { scheduledAt: later }, { ...scheduled, scheduledAt: later }],
    ["rescheduling into the past", scheduled, { scheduledAt: past }, "422 scheduledAt"],
    ["unscheduling without going back to draft", scheduled, { scheduledAt: null }, "422 scheduledAt"],
    ["scheduled → sent keeps the time", scheduled, { status: "sent" }, { status: "sent", scheduledAt: future, sentAt: now }],
    ["scheduled → sent with a new time", scheduled, { status: "sent", scheduledAt: later }, "422 scheduledAt"],
    ["sent → draft", sent, { status: "draft" }, "409"],
    ["sent → scheduled", sent, { status: "scheduled", scheduledAt: later }, "409"],
    ["sent, rescheduled", sent, { scheduledAt: later }, "409"],
    ["sent, unscheduled", sent, { scheduledAt: null }, "409"],
    ["sent → sent is no change", sent, { status: "sent", scheduledAt: future }, sent],
  ])("%s", (_, current, change, expected) => {
    expect(outcome(current, change)).toEqual(expected);
  });

  it("a schedule time that has passed since it was accepted does not block other changes", () => {
    const overdue: ScheduleState = { status: "scheduled", scheduledAt: past, sentAt: null };
    expect(outcome(overdue, {})).toEqual(overdue);
    expect(outcome(overdue, { status: "scheduled", scheduledAt: past })).toEqual(overdue);
    expect(outcome(overdue, { status: "sent" })).toEqual({ status: "sent", scheduledAt: past, sentAt: now });
  });
});

import { performance } from "node:perf_hooks";
import { api, sleep, type Answer } from "./http";

// Light steady API load for the outage proofs: every tick two reads (GET /me) and one write (POST /campaigns),
// never waiting for earlier requests, with at most `maxInFlight` open at once.

export type Sent = Answer & { kind: "me" | "create" };

export interface SteadyLoad {
  answers: Sent[];
  /** performance.now() of ticks skipped because too many requests were open. */
  skippedTicks: number[];
  /** Stops sending and waits for every open request. */
  stop(): Promise<void>;
}

export function steadyLoad(options: {
  baseUrl: string;
  key: string;
  campaign: () => Record<string, unknown>;
  tickMs?: number;
  maxInFlight?: number;
  timeoutMs?: number;
}): SteadyLoad {
  const { baseUrl, key, campaign, tickMs = 100, maxInFlight = 60, timeoutMs = 10_000 } = options;
  const answers: Sent[] = [];
  const skippedTicks: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = (kind: Sent["kind"]) => {
    const request =
      kind === "me"
        ? api(baseUrl, "GET", "/api/v1/me", { key, timeoutMs })
        : api(baseUrl, "POST", "/api/v1/campaigns", { key, timeoutMs, body: campaign() });
    const tracked = request.then((answer) => {
      answers.push({ kind, ...answer });
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
  };

  let running = true;
  const loop = (async () => {
    const hardStop = performance.now() + 90_000;
    while (running && performance.now() < hardStop) {
      if (inFlight.size > maxInFlight) skippedTicks.push(performance.now());
      else {
        send("me");
        send("me");
        send("create");
      }
      await sleep(tickMs);
    }
    await Promise.all(inFlight);
  })();

  return {
    answers,
    skippedTicks,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** From the first request after `since` from which on every answer succeeded (at least `streak` of them). */
export async function waitForRecovery(answers: Answer[], since: number, budgetMs: number, streak = 15): Promise<number> {
  const deadline = since + budgetMs;
  while (performance.now() < deadline) {
    await sleep(250);
    const after = answers.filter((answer) => answer.sentAt >= since).sort((a, b) => a.sentAt - b.sentAt);
    const lastFailure = after.findLast((answer) => answer.status >= 300);
    const successesSince = after.filter((answer) => !lastFailure || answer.sentAt > lastFailure.sentAt);
    if (successesSince.length >= streak) return successesSince[0]!.sentAt;
  }
  return NaN;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (ms: number) => Math.round(ms);

import { performance } from "node:perf_hooks";
import pg from "pg";
import { api, sleep, Tally, type Answer } from "./http";

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
  /** The key of every request, or a function that picks one per request (to stay below a rate limit). */
  key: string | (() => string);
  campaign: () => Record<string, unknown>;
  tickMs?: number;
  maxInFlight?: number;
  timeoutMs?: number;
}): SteadyLoad {
  const { baseUrl, campaign, tickMs = 100, maxInFlight = 60, timeoutMs = 10_000 } = options;
  const keyOf = typeof options.key === "string" ? () => options.key as string : options.key;
  const answers: Sent[] = [];
  const skippedTicks: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = (kind: Sent["kind"]) => {
    const key = keyOf();
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

/** Answers counted by request and status (or why none came), for the report. */
export function tallyOf(answers: Sent[]): Tally {
  const tally = new Tally();
  for (const answer of answers) tally.add(answer.kind === "me" ? "GET /me" : "POST /campaigns", answer.failure ?? answer.status);
  return tally;
}

/** Requests that got no answer, or a server error other than the intended 503. */
export function serverErrorsOf(answers: Sent[]): Sent[] {
  return answers.filter((answer) => answer.status === 0 || (answer.status >= 500 && answer.status !== 503));
}

/**
 * What the load's writes left in the workspace: the campaigns acknowledged with 201, those stored (with how
 * many tags each carries), and the acknowledged ones that are missing.
 */
export async function writesKept(answers: Sent[], databaseUrl: string, workspaceId: string) {
  const created = answers.filter((answer) => answer.kind === "create" && answer.status === 201).map((answer) => answer.json!.id as string);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows: stored } = await client
    .query<{ id: string; tags: number }>(
      `SELECT c.id, count(ct."tagId")::int AS tags FROM "Campaign" c LEFT JOIN "CampaignTag" ct ON ct."campaignId" = c.id
       WHERE c."workspaceId" = $1 GROUP BY c.id`,
      [workspaceId],
    )
    .finally(() => client.end());
  const storedIds = new Set(stored.map((row) => row.id));
  return { created, stored, storedIds, lost: created.filter((id) => !storedIds.has(id)) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (ms: number) => Math.round(ms);

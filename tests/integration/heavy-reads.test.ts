import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getAnalyticsOperation } from "@/server/analytics/operations";
import { heavyReads } from "@/server/api/execute";
import { readForPage, readPartForPage } from "@/server/auth/page-principal";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/http/errors";
import { mintKey } from "../support/api";
import { apiClient } from "../support/client";
import { createTeam } from "../support/factories";

// The fair share of heavy reads (docs/decisions/016-heavy-reads-fair-share.md), through both doors: a
// workspace's analytics run one at a time on an instance, the ones behind wait their turn, and past
// HEAVY_READ_QUEUE waiting the next is refused with a 429, whether it came with a key or from a page. Another
// workspace is never refused for it. The running read is held inside PostgreSQL by a lock on the rollups, so the
// lane is full for as long as the test needs, whatever the machine's speed.
vi.hoisted(() => {
  process.env.HEAVY_READ_QUEUE = "2";
});

const RANGE = { from: "2025-10-01T00:00:00.000Z", to: "2025-10-08T00:00:00.000Z" };

async function analytics(key: string) {
  const { data, error, response } = await apiClient(key).GET("/api/v1/analytics", { params: { query: RANGE } });
  return { status: response.status, data, error: error as Record<string, unknown> | undefined, headers: response.headers };
}

async function until(condition: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// The embedded database is a single backend with one connection: no second connection can hold the lock.
describe.skipIf(inject("embedded"))("heavy reads: one workspace's burst of analytics waits its turn, and past the queue is refused", () => {
  let heavy: { workspaceId: string; key: string; owner: Principal };
  let other: { workspaceId: string; key: string };
  let locker: pg.Client;

  beforeAll(async () => {
    const a = await createTeam();
    const b = await createTeam();
    heavy = { workspaceId: a.workspace.id, key: (await mintKey(a.owner, { kind: "read_only" })).key, owner: a.owner };
    other = { workspaceId: b.workspace.id, key: (await mintKey(b.owner, { kind: "read_only" })).key };
    locker = new pg.Client({ connectionString: inject("databaseUrl") });
    await locker.connect();
  });

  afterAll(async () => {
    await locker.query("ROLLBACK").catch(() => {});
    await locker.end();
  });

  it("holds HEAVY_READ_QUEUE behind the running one, refuses the next through either door, and not another workspace's", async () => {
    // Warm: the key is authenticated and cached, so the calls below reach the lane in the order they are made.
    expect((await analytics(heavy.key)).status).toBe(200);
    expect((await analytics(other.key)).status).toBe(200);
    await until(() => heavyReads().size === 0, "the warm-up's pause to end");

    await locker.query(`BEGIN; LOCK TABLE "CampaignEventRollup" IN ACCESS EXCLUSIVE MODE`);
    let released = false;
    try {
      const running = analytics(heavy.key);
      await until(async () => {
        const { rows } = await locker.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = '"CampaignEventRollup"'::regclass AND NOT granted`,
        );
        return rows[0]!.waiting > 0;
      }, "the first read to wait for the lock");
      const queued = [analytics(heavy.key), analytics(heavy.key)];
      await until(() => heavyReads().waitingIn(heavy.workspaceId) === 2, "two reads to wait their turn");

      // The lane is full: the next read is refused at once, by key and from a page alike.
      const refused = await analytics(heavy.key);
      expect(refused.status).toBe(429);
      expect(refused.error).toMatchObject({ status: 429, code: "rate_limited" });
      expect(String(refused.error?.detail)).toMatch(/too many heavy requests \(analytics\) waiting/);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const fromPage = await readForPage(getAnalyticsOperation, heavy.owner, { query: RANGE }).catch((error: unknown) => error);
      expect(fromPage).toBeInstanceOf(AppError);
      expect((fromPage as AppError).code).toBe("rate_limited");
      // The home and campaigns pages read their figures as a part: the page renders and says why they are missing.
      expect(await readPartForPage(getAnalyticsOperation, heavy.owner, { query: RANGE })).toEqual({
        data: null,
        unavailable: expect.stringMatching(/too many heavy requests \(analytics\) waiting on this server\. Try again in \d+ seconds?\./),
      });

      // Another workspace has a lane of its own: it waits for the database like everyone, but is not refused.
      const otherRead = analytics(other.key);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heavyReads().waitingIn(other.workspaceId)).toBe(0);

      await locker.query("COMMIT");
      released = true;
      const answers = await Promise.all([running, ...queued, otherRead]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      for (const answer of answers) expect(answer.data?.totals).toEqual({ sent: 0, opened: 0, clicked: 0 });
    } finally {
      if (!released) await locker.query("ROLLBACK");
    }
    // When the burst is over, its lane is forgotten.
    await until(() => heavyReads().size === 0, "the lanes to be forgotten");
  });
});

import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getAnalyticsOperation } from "@/server/analytics/operations";
import { readPartForPage } from "@/server/auth/page-principal";
import type { Principal } from "@/server/auth/principal";
import { createTeam } from "../support/factories";

// A page's figures (the home and campaigns pages) are a part of the page: when their statement runs longer than
// analytics may (ANALYTICS_STATEMENT_TIMEOUT_MS, a 503), the page renders without them and says why. The
// statement is held by a lock on the rollups; the timeout is short here so the test is.
vi.hoisted(() => {
  process.env.ANALYTICS_STATEMENT_TIMEOUT_MS = "200";
});

describe.skipIf(inject("embedded"))("a part of a page whose statement takes too long", () => {
  let owner: Principal;
  let locker: pg.Client;

  beforeAll(async () => {
    owner = (await createTeam()).owner;
    locker = new pg.Client({ connectionString: inject("databaseUrl") });
    await locker.connect();
  });

  afterAll(async () => {
    await locker.query("ROLLBACK").catch(() => {});
    await locker.end();
  });

  it("is left out with the reason, and the read works again once the statement can run", async () => {
    const query = { from: "2025-10-01T00:00:00.000Z", to: "2025-10-08T00:00:00.000Z" };
    await locker.query(`BEGIN; LOCK TABLE "CampaignEventRollup" IN ACCESS EXCLUSIVE MODE`);
    try {
      expect(await readPartForPage(getAnalyticsOperation, owner, { query })).toEqual({
        data: null,
        unavailable: expect.stringMatching(/took too long/),
      });
    } finally {
      await locker.query("ROLLBACK");
    }
    const again = await readPartForPage(getAnalyticsOperation, owner, { query });
    expect(again.unavailable).toBeNull();
    expect(again.data?.totals).toEqual({ sent: 0, opened: 0, clicked: 0 });
  });
});

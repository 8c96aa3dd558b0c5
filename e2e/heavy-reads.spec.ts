import pg from "pg";
import { accessibilityViolations, horizontalOverflow, SCHEMES, VIEWPORTS, watchConsole } from "./browser-checks";
import { expect, signUp, test } from "./fixtures";

// A workspace whose heavy reads (analytics) are over their share of the server (decision 016): the home and
// campaigns pages still load, without their campaign figures and saying why, at a phone's and a laptop's width,
// light and dark, with nothing for axe; a wrong search keeps what was typed with its error; and the API answers
// 429. The lane is held full for as long as the test looks: the running statement waits for a lock on the rollups.
test.skip(!process.env.E2E_DATABASE_URL, "needs a PostgreSQL server (TEST_DATABASE_URL) for a second connection");

test("pages without their campaign figures while the workspace's analytics wait their turn", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const { slug } = await signUp(page, "Bea Busy");
  const origin = new URL(page.url()).origin;
  const created = await page.request.post(`/api/v1/api-keys?workspace=${slug}`, {
    data: { name: "Dashboard reader", kind: "read_only" },
    headers: { origin },
  });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };
  const launch = await page.request.post(`/api/v1/campaigns?workspace=${slug}`, {
    data: { name: "Launch", subject: "Hello", status: "sent" },
    headers: { origin },
  });
  expect(launch.status()).toBe(201);
  const analytics = (timeout: number) =>
    page.request.get("/api/v1/analytics", { headers: { authorization: `Bearer ${key}` }, timeout, failOnStatusCode: false });

  const locker = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await locker.connect();
  await locker.query(`BEGIN; LOCK TABLE "CampaignEventRollup" IN ACCESS EXCLUSIVE MODE`);
  const held: Promise<unknown>[] = [];
  try {
    // Each request the lane still takes waits behind the held one; the first answered at once is the 429.
    let refused: Awaited<ReturnType<typeof analytics>> | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const answer = analytics(1_000).then(
        (response) => response,
        () => undefined,
      );
      held.push(answer);
      const settled = await Promise.race([answer, new Promise<"waiting">((resolve) => setTimeout(() => resolve("waiting"), 300))]);
      if (settled && settled !== "waiting" && settled.status() === 429) refused = settled;
    }
    expect(refused?.status(), "the lane never filled").toBe(429);
    expect(refused!.headers()["content-type"]).toContain("application/problem+json");
    expect(Number(refused!.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(((await refused!.json()) as { code: string }).code).toBe("rate_limited");

    const console = watchConsole(page);
    for (const [name, path] of [
      ["home", `/${slug}`],
      ["campaigns", `/${slug}/campaigns`],
    ] as const) {
      for (const viewport of VIEWPORTS) {
        for (const colorScheme of SCHEMES) {
          const where = `${name} at ${viewport.width}px, ${colorScheme}`;
          await page.setViewportSize(viewport);
          await page.emulateMedia({ colorScheme });
          expect((await page.goto(path))?.status(), where).toBe(200);
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          await expect(page.getByRole("status").filter({ hasText: "Campaign figures are not shown for now." })).toContainText(
            /too many heavy requests \(analytics\) waiting on this server\. Try again in \d+ seconds?\./,
          );
          const overflow = await horizontalOverflow(page);
          expect(overflow.scrollWidth, where).toBeLessThanOrEqual(overflow.clientWidth);
          expect(await accessibilityViolations(page), where).toEqual([]);
          await page.screenshot({ path: testInfo.outputPath(`${name}-${viewport.width}-${colorScheme}.png`), fullPage: true });
        }
      }
    }

    // Wrong input on the same page: the search too long keeps what was typed, with its error, and the list shows.
    const typed = "x".repeat(121);
    await page.goto(`/${slug}/campaigns`);
    await page.getByRole("textbox", { name: "Search by name" }).fill(typed);
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByTestId("field-error")).toHaveText("Use at most 120 characters.");
    await expect(page.getByRole("textbox", { name: "Search by name" })).toHaveValue(typed);
    await expect(page.getByRole("textbox", { name: "Search by name" })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("campaign")).toHaveCount(1);
    expect(await accessibilityViolations(page), "campaigns with a wrong search").toEqual([]);
    await page.screenshot({ path: testInfo.outputPath("campaigns-wrong-search.png"), fullPage: true });
    // A hand-edited link with a status that does not exist: the select keeps it, with its error.
    await page.goto(`/${slug}/campaigns?status=archived`);
    await expect(page.getByTestId("field-error")).toHaveText("Use one of: draft, scheduled, sent.");
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("archived");
    await expect(page.getByTestId("campaign")).toHaveCount(1);
    expect(await accessibilityViolations(page), "campaigns with a wrong status").toEqual([]);
    expect(console.errors).toEqual([]);
  } finally {
    await locker.query("ROLLBACK");
    await locker.end();
  }
  // The lane drains afterwards, after a pause three times as long as the held read took (decision 016); that
  // the figures come back is tests/integration/heavy-reads.test.ts's to show.
  await Promise.all(held);
});

import { writeFileSync } from "node:fs";

// The test server's lifecycle clock (src/server/clock.ts: expiries, grace periods, key warnings) runs ahead of
// the system clock by the milliseconds in HEYOO_TEST_CLOCK_FILE, which e2e/global-setup.ts points at a file of
// the run's output directory. Only that clock moves: sessions, rate limits and the browser keep real time.
//
// Every spec shares the one server, so a jump is kept small and short: serverClockAhead() puts the clock back
// whatever happens. A jump of about an hour changes nothing for the other specs, whose keys expire days out
// (the API refuses an expiry less than a minute away, and none of them sets one within hours); their times
// read the same to the minute once the browser's own clock takes over after hydration.

function clockFile(): string {
  const file = process.env.E2E_SERVER_CLOCK_FILE;
  if (!file) throw new Error("E2E_SERVER_CLOCK_FILE is not set: e2e/global-setup.ts sets it when it starts the server.");
  return file;
}

/** The server reads the file at most every 100 ms: after this long, every request sees the new offset. */
const SETTLE_MS = 250;

async function setOffset(ms: number): Promise<void> {
  writeFileSync(clockFile(), String(ms));
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

/** Runs `body` with the server's lifecycle clock `ms` ahead, then puts it back (also when `body` fails). */
export async function serverClockAhead<T>(ms: number, body: () => Promise<T>): Promise<T> {
  await setOffset(ms);
  try {
    return await body();
  } finally {
    await setOffset(0);
  }
}

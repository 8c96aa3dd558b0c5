import "server-only";
import { readFileSync } from "node:fs";

// The server's "now" for key lifecycles (expiry, grace periods, warnings). In production it is the system
// clock. End-to-end tests need to see a grace period end without waiting a day: when HEYOO_TEST_CLOCK_FILE is
// set, the file holds milliseconds to add to the system clock, read at most every 100 ms. Nothing else can move
// it, and the variable is for test servers only (README, "Configuration").

let cached = { readAt: -Infinity, offset: 0 };

function offsetMs(): number {
  const file = process.env.HEYOO_TEST_CLOCK_FILE;
  if (!file) return 0;
  const at = Date.now();
  if (at - cached.readAt < 100) return cached.offset;
  let offset = 0;
  try {
    offset = Number(readFileSync(file, "utf8").trim()) || 0;
  } catch {
    // No file yet: no offset.
  }
  cached = { readAt: at, offset };
  return offset;
}

export function now(): Date {
  return new Date(Date.now() + offsetMs());
}

import { existsSync } from "node:fs";
import path from "node:path";

export const SERVER_JS = path.resolve(".next/standalone/server.js");

/**
 * Why the hard tests cannot run here, or null when they can. They need a real PostgreSQL server
 * (TEST_DATABASE_URL, on which each file creates and drops its own database) and the production build.
 */
export function missingPrerequisite(): string | null {
  if (!process.env.TEST_DATABASE_URL) {
    return "TEST_DATABASE_URL is unset: the hard tests need a real PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:5432/postgres).";
  }
  if (!existsSync(SERVER_JS)) return `${SERVER_JS} is missing: run \`npm run build\` first.`;
  return null;
}

/** Logs the reason once, so a skipped file says why in the output. */
export function skipReason(file: string): string | null {
  const reason = missingPrerequisite();
  if (reason) console.warn(`[hard] skipping ${file}: ${reason}`);
  return reason;
}

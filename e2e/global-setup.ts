import { spawn } from "node:child_process";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { createTestDatabase } from "../scripts/db/test-database";

async function waitForServer(url: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("The production server exited before it was ready; run `npm run build` first.");
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The production server did not answer on ${url} within ${timeoutMs} ms`);
}

/** A fresh database and the production server on it; the returned function stops both. */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL ?? "http://127.0.0.1:3100";
  const port = new URL(baseURL).port;
  const database = await createTestDatabase();
  // The production server exactly as a Node host runs it (output: "standalone").
  const server = spawn(process.execPath, [path.resolve(".next/standalone/server.js")], {
    env: {
      ...process.env,
      PORT: port,
      HOSTNAME: "127.0.0.1",
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: process.env.TEST_DATABASE_URL ? "10" : "1",
      EMBEDDED_DATABASE: process.env.TEST_DATABASE_URL ? "0" : "1",
      AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e",
      SIGN_IN_MAX_FAILURES_PER_ACCOUNT: "3",
    },
    // Its own process group, so that stopping it also stops next-server (stack-notes.md).
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
  });
  let exited = false;
  server.on("exit", () => (exited = true));

  const stop = async () => {
    if (!exited && server.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await database.drop();
  };

  try {
    await waitForServer(`${baseURL}/sign-in`, 60_000, () => exited);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

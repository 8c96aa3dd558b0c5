import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
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

/**
 * Refuses to start when something already listens on the port: the suite must only ever test the server it
 * started itself, never whatever else answers there.
 */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Port ${port} is taken (${error.code}); the e2e suite only tests a server it starts itself. Unset E2E_PORT to get a free port, or free this one.`,
        ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/**
 * Where the server's stdout and stderr go (as well as to the terminal): the fixture of every test reads what
 * the server wrote during it and looks for the test's secrets there (e2e/fixtures.ts). Workers inherit it.
 */
function serverLogPath(port: string): string {
  const file = path.join(os.tmpdir(), `heyoo-e2e-server-${port}.log`);
  writeFileSync(file, "");
  process.env.E2E_SERVER_LOG = file;
  return file;
}

/**
 * The file that moves the server's lifecycle clock (HEYOO_TEST_CLOCK_FILE, src/server/clock.ts): in the run's
 * output directory, starting at no offset. e2e/server-clock.ts writes it; workers inherit its path.
 */
function serverClockPath(config: FullConfig, port: string): string {
  const directory = config.projects[0]?.outputDir ?? os.tmpdir();
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `server-clock-offset-${port}`);
  writeFileSync(file, "0");
  process.env.E2E_SERVER_CLOCK_FILE = file;
  return file;
}

/** A fresh database and the production server on it; the returned function stops both. */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts sets no baseURL");
  const port = new URL(baseURL).port;
  await assertPortFree(Number(port));
  const database = await createTestDatabase();
  const clockFile = serverClockPath(config, port);
  // For a spec that must hold a lock in the server's database (only a PostgreSQL server takes a second connection).
  if (process.env.TEST_DATABASE_URL) process.env.E2E_DATABASE_URL = database.url;
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
      // Every test signs up from 127.0.0.1: the suite needs more than the default 20 sign-ups per address an hour.
      SIGN_UP_MAX_PER_IP: "100",
      // The same goes for refused keys and forged cookies, which several specs send on purpose.
      API_AUTH_MAX_FAILURES_PER_IP: "1000000",
      // Last-used times reach the database within half a second, so the pages show a key's use at once.
      LAST_USED_FLUSH_SECONDS: "0.5",
      // Grace periods and expiries end when a test moves this clock forward (e2e/server-clock.ts).
      HEYOO_TEST_CLOCK_FILE: clockFile,
      // e2e/heavy-reads.spec.ts holds analytics statements with a lock while it looks at pages: neither the held
      // statement nor the requests queued behind it may give up meanwhile (the defaults are 5 s and 10 s).
      ANALYTICS_STATEMENT_TIMEOUT_MS: "60000",
      HEAVY_READ_MAX_WAIT_MS: "60000",
    },
    // Its own process group, so that stopping it also stops next-server (docs/offline-tooling.md).
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = serverLogPath(port);
  // Synchronous appends: a test that ends reads the file at once, and must find every line written so far.
  server.stdout.on("data", (chunk: Buffer) => (appendFileSync(log, chunk), process.stdout.write(chunk)));
  server.stderr.on("data", (chunk: Buffer) => (appendFileSync(log, chunk), process.stderr.write(chunk)));
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
    // What answered must be the server started here: had it lost the port to another process it would have
    // exited (EADDRINUSE) by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (exited) throw new Error("The production server exited after the port answered: something else is listening there.");
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

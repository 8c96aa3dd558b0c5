import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";

/**
 * The port of the server the suite starts (e2e/global-setup.ts): E2E_PORT when set, else one the kernel says
 * is free now. It is written back to E2E_PORT so that the test workers, which load this file again and inherit
 * the runner's environment, agree on it. (Synchronous, as a config file must be: a child binds port 0.)
 */
function serverPort(): number {
  if (!process.env.E2E_PORT) {
    const script =
      "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
    process.env.E2E_PORT = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
  }
  const port = Number(process.env.E2E_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`E2E_PORT is not a port: ${process.env.E2E_PORT}`);
  return port;
}

const port = serverPort();

// A real Chromium (Debian's, at /usr/bin/chromium; .ci/run installs it) against the production server
// (`next build`'s standalone server.js: `next start` for output "standalone") on a fresh database, started
// and stopped by e2e/global-setup.ts. Run `npm run build` first.
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  // "world" makes the accounts and data the generated proofs share (e2e/world.setup.ts), once per run.
  projects: [
    { name: "world", testMatch: /world\.setup\.ts$/ },
    { name: "chromium", testIgnore: /world\.setup\.ts$/, dependencies: ["world"] },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});

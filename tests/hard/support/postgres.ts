import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The local Debian PostgreSQL cluster behind TEST_DATABASE_URL, which the outage test stops and starts, or
 * the reason it cannot: it must be the cluster on this machine (127.0.0.1:5432, one version under
 * /etc/postgresql, cluster "main") and we must be root to drive pg_ctlcluster.
 */
export function localCluster(): { version: string } | string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://invalid");
  if (!["127.0.0.1", "localhost"].includes(url.hostname) || (url.port || "5432") !== "5432") {
    return `TEST_DATABASE_URL is not the local cluster on 127.0.0.1:5432 (${url.hostname}:${url.port || 5432}).`;
  }
  if (process.getuid?.() !== 0) return "stopping PostgreSQL needs root (pg_ctlcluster).";
  if (!existsSync("/etc/postgresql")) return "no /etc/postgresql: not a Debian PostgreSQL cluster.";
  const versions = readdirSync("/etc/postgresql");
  if (versions.length !== 1) return `expected one PostgreSQL version under /etc/postgresql, found: ${versions.join(", ")}`;
  if (!existsSync(`/etc/postgresql/${versions[0]}/main`)) return `no cluster "main" for PostgreSQL ${versions[0]}`;
  return { version: versions[0]! };
}

async function ctl(version: string, action: "stop" | "start"): Promise<void> {
  await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action], { timeout: 60_000 });
}

export async function isReady(): Promise<boolean> {
  try {
    await run("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "2"], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

export async function stopPostgres(version: string): Promise<void> {
  await ctl(version, "stop");
}

/** Starts the cluster (a no-op when it runs) and waits, at most `timeoutMs`, until pg_isready says yes. */
export async function startPostgres(version: string, timeoutMs = 60_000): Promise<void> {
  if (!(await isReady())) {
    try {
      await ctl(version, "start");
    } catch (error) {
      // "already running" is fine; anything else shows up as not ready below.
      if (!(await isReady())) console.error("[hard] pg_ctlcluster start failed:", error);
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isReady()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`PostgreSQL was not ready within ${timeoutMs} ms after start`);
}

/** Last resort should the test process exit while the cluster is down (synchronous: runs in "exit"). */
export function startPostgresOnExit(version: string): () => void {
  const onExit = () => {
    const ready = spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "2"]);
    if (ready.status !== 0) spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { timeout: 60_000 });
  };
  process.once("exit", onExit);
  return () => process.removeListener("exit", onExit);
}

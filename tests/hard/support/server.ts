import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { SERVER_JS } from "./prereqs";

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the server to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  name: string;
  baseUrl: string;
  /** The server's stdout and stderr so far (bounded). */
  log(): string;
  /** Lines of the log that match `pattern`. */
  logLines(pattern: RegExp): string[];
  /** The log's error entries: each from a line with "[heyoo] unexpected error" or "uncaughtException" to the next such line. */
  errorEntries(): string[];
  exited(): boolean;
  /** Closes this side of the server's stdout and stderr, as when whatever read its logs goes away. */
  closeOutput(): void;
  /** The server process's id (also its process group's; its listener's application_name names it: principal-changes.ts). */
  pid: number;
  /** Resolves with the exit code (null when a signal ended it) and the signal, once the process has exited. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const MAX_LOG_CHARS = 2_000_000;

/**
 * The production server (`.next/standalone/server.js`) exactly as a Node host runs it, on 127.0.0.1, in its
 * own process group so that stopping it also stops next-server (docs/offline-tooling.md). Resolves once it answers.
 */
export async function startServer(options: {
  name: string;
  databaseUrl: string;
  env?: Record<string, string>;
  /** Options for node itself, e.g. ["--cpu-prof"] (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}): Promise<RunningServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_JS], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: "10",
      EMBEDDED_DATABASE: "0",
      AUTH_SECRET: "hard-tests-secret-hard-tests-secret-hard",
      NEXT_TELEMETRY_DISABLED: "1",
      // Every client of these tests is 127.0.0.1, and refused keys are what many of them prove: the per-address
      // limit of failed authentications (tests/integration/failed-authentication.test.ts) must not answer for them.
      API_AUTH_MAX_FAILURES_PER_IP: "1000000",
      ...options.env,
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const append = (chunk: Buffer) => {
    if (output.length < MAX_LOG_CHARS) output += chunk.toString("utf8");
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  const exitedPromise = exit.then(() => undefined);

  const stop = async () => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };

  const server: RunningServer = {
    name: options.name,
    baseUrl,
    pid: child.pid ?? 0,
    log: () => output,
    logLines: (pattern) => output.split("\n").filter((line) => pattern.test(line)),
    errorEntries: () => {
      const entries: string[] = [];
      for (const line of output.split("\n")) {
        if (/\[heyoo\] unexpected error|uncaughtException/.test(line)) entries.push(line);
        else if (/^\s*(\[heyoo\]|⨯|▲|✓)/.test(line)) entries.push("");
        else if (entries.length && entries[entries.length - 1] !== "") entries[entries.length - 1] += `\n${line}`;
      }
      return entries.filter(Boolean);
    },
    exited: () => exited,
    closeOutput: () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
    exit,
    stop,
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${options.name} exited before it was ready:\n${output.slice(-4_000)}`);
    try {
      const response = await fetch(`${baseUrl}/api/v1/openapi.json`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`${options.name} did not answer on ${baseUrl} within the ready timeout:\n${output.slice(-4_000)}`);
}

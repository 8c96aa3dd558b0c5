import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { freePort } from "./server";

export interface OwnRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Why no Redis of our own can be started here, or null. */
export function missingRedisServer(): string | null {
  const found = (process.env.PATH ?? "").split(":").some((dir) => existsSync(`${dir}/redis-server`));
  return found ? null : "redis-server is not installed (apt-get install redis-server).";
}

/**
 * A redis-server of the test's own on a free port, without persistence, in its own process group: the tests
 * make it misbehave (through a proxy) and never touch a shared Redis.
 */
export async function startRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    detached: true,
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (!child.pid || child.exitCode !== null) return;
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    },
  };
}

// An embedded PostgreSQL (PGlite) behind a real Postgres wire-protocol socket, so the app, `pg` and
// @prisma/adapter-pg talk to it exactly as they talk to a server: only the connection string differs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const host = "127.0.0.1";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite does not lock its data folder, and two instances writing to one folder corrupt it. The lock file
 * beside the folder names the process (and URL) that has it open; the lock of a process that died is stale.
 */
function lockDataDir(dataDir: string): { setUrl(url: string): void; release(): void } {
  const file = `${dataDir}.lock`;
  const write = (owner: { url?: string }, flag: "w" | "wx") =>
    writeFileSync(file, JSON.stringify({ pid: process.pid, ...owner }), { flag });
  try {
    write({}, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    let owner: { pid?: number; url?: string } = {};
    try {
      owner = JSON.parse(readFileSync(file, "utf8")) as typeof owner;
    } catch {
      // unreadable: stale
    }
    if (owner.pid && isRunning(owner.pid)) {
      const hint = owner.url ? ` at ${owner.url}: stop it, or use it with DATABASE_URL=${owner.url}` : "";
      throw new Error(`The embedded database in ${dataDir} is already open in process ${owner.pid}${hint}`);
    }
    write({}, "w");
  }
  return {
    setUrl: (url) => write({ url }, "w"),
    release: () => rmSync(file, { force: true }),
  };
}

export async function startEmbeddedDatabase(opts: { dataDir?: string; port?: number }): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lock = dataDir ? lockDataDir(dataDir) : undefined;
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir ? { dataDir } : {});
  } catch (error) {
    lock?.release();
    throw error;
  }
  const server = new PGLiteSocketServer({
    db,
    host,
    // The server's own default is 5432, not "any free port".
    port: opts.port ?? 0,
    // PGlite is one backend; the socket queues queries across connections. Several are allowed so that test
    // workers and tools can each connect; the app itself should still use a pool of one (docs/offline-tooling.md).
    maxConnections: 100,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    lock?.release();
    throw error;
  }
  const port = Number(server.getServerConn().split(":").pop());
  // The socket answers "N" to SSL requests; sslmode=disable saves that round trip and any TLS attempt.
  const url = `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`;
  lock?.setUrl(url);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await server.stop();
      // Closing PGlite flushes its files, so the next start on the same dataDir finds the data.
      await db.close();
      lock?.release();
    })();
    return stopped;
  };
  return { url, stop };
}

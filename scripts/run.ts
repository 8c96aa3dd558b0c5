// `npm run dev` / `npm start`: runs Next.js against DATABASE_URL, or, when it is unset, against an embedded
// PostgreSQL (PGlite) kept in .data/pglite, with migrations applied first. No setup, no env file.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedDatabase } from "./db/embedded";
import { applyMigrations } from "./db/migrations";

const mode = process.argv[2] === "start" ? "start" : "dev";
if (process.argv[2] !== mode) {
  console.error("usage: tsx scripts/run.ts dev|start");
  process.exit(2);
}

const dataDir = path.resolve(".data");
const nextBin = path.resolve("node_modules", "next", "dist", "bin", "next");
// `next build` makes a self-contained server (output: "standalone"); production runs that, not `next start`.
const standaloneServer = path.resolve(".next", "standalone", "server.js");

/** A secret that survives restarts, so sessions do too; only used when AUTH_SECRET is not set. */
function localAuthSecret(): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env };
  let stopDatabase: (() => Promise<void>) | undefined;

  if (!env.DATABASE_URL) {
    const embedded = await startEmbeddedDatabase({
      dataDir: path.join(dataDir, "pglite"),
      port: env.EMBEDDED_DB_PORT ? Number(env.EMBEDDED_DB_PORT) : undefined,
    });
    stopDatabase = embedded.stop;
    env.DATABASE_URL = embedded.url;
    // PGlite is a single backend: one connection, or the wire protocol interleaves (docs/offline-tooling.md).
    env.DATABASE_POOL_MAX = "1";
    env.EMBEDDED_DATABASE = "1";
    console.log("Embedded PostgreSQL (PGlite) is running; data in .data/pglite");
  }
  if (!env.AUTH_SECRET) {
    if (mode === "start" && process.env.DATABASE_URL) {
      throw new Error("AUTH_SECRET is not set. Generate one with `openssl rand -base64 32` and set it in the environment.");
    }
    env.AUTH_SECRET = localAuthSecret();
  }

  const { applied } = await applyMigrations(env.DATABASE_URL, { log: (line) => console.log(line) });
  console.log(applied.length ? `Applied ${applied.length} migration(s).` : "Database is up to date.");

  if (mode === "start" && !existsSync(standaloneServer)) throw new Error("No build found: run `npm run build` first.");
  env.PORT ??= "3000";
  const args = mode === "start" ? [standaloneServer] : [nextBin, "dev", ...process.argv.slice(3)];
  const next = spawn(process.execPath, args, { env, stdio: "inherit" });

  // A signal is passed on to the server, which finishes its requests in flight and runs its shutdown hooks
  // (src/server/shutdown-signal.ts); the embedded database stops only after the server has exited.
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stopDatabase?.().catch(() => {});
    process.exit(code);
  };
  const forward = (signal: NodeJS.Signals) => {
    if (next.exitCode === null && next.signalCode === null) next.kill(signal);
    else void stop(0);
  };
  process.on("SIGINT", () => forward("SIGINT"));
  process.on("SIGTERM", () => forward("SIGTERM"));
  next.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

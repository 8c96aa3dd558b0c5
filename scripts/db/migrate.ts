// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or, when it is unset, to the embedded
// database in .data/pglite that `npm run dev` uses.
// `npm run db:migrate -- --rolled-back <name>`: marks a failed migration rolled back so that it can be
// fixed and applied again (what `prisma migrate resolve --rolled-back` does).
import { fileURLToPath } from "node:url";
import { runCli } from "./cli";
import { startEmbeddedDatabase } from "./embedded";
import { applyMigrations, markMigrationRolledBack } from "./migrations";

const embeddedDataDir = fileURLToPath(new URL("../../.data/pglite", import.meta.url));

function parseArgs(args: string[]): { rolledBack: string[] } {
  if (args.length === 0) return { rolledBack: [] };
  if (args[0] === "--rolled-back" && args.length > 1) return { rolledBack: args.slice(1) };
  throw new Error("usage: npm run db:migrate [-- --rolled-back <migration name>...]");
}

/** Where the migrations go, without the password. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "DATABASE_URL";
  }
}

runCli(async () => {
  const { rolledBack } = parseArgs(process.argv.slice(2));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedDatabase({ dataDir: embeddedDataDir });
  const url = embedded?.url ?? process.env.DATABASE_URL!;
  const target = embedded ? "The embedded database (.data/pglite)" : describe(url);
  try {
    if (rolledBack.length) {
      for (const name of rolledBack) {
        await markMigrationRolledBack(url, name);
        console.log(`Marked ${name} as rolled back in ${target}.`);
      }
      return;
    }
    const { applied } = await applyMigrations(url, { log: (line) => console.log(line) });
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${target} is up to date.` : `${target} is up to date.`);
  } finally {
    await embedded?.stop();
  }
});

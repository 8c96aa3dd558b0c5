// `npm run db:migration:create -- <name>`: what `prisma migrate dev --create-only` does, without a database
// server or the native schema engine. Review the SQL, then apply it with `npm run db:migrate`.
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { runCli } from "./cli";
import { diffMigrationsToSchema, lockfileContent, lockfileName, migrationsDir } from "./schema-engine";

function migrationName(args: string[]): string {
  const name = args
    .join(" ")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
  if (!name) throw new Error("usage: npm run db:migration:create -- <name>   (e.g. add_campaigns)");
  return name;
}

/** UTC yyyymmddHHMMSS, the prefix Prisma gives migration folders. */
const timestamp = (date: Date) => date.toISOString().replace(/\D/g, "").slice(0, 14);

runCli(async () => {
  const name = `${timestamp(new Date())}_${migrationName(process.argv.slice(2))}`;
  const sql = await diffMigrationsToSchema();
  if (!sql.trim()) {
    console.log("No schema changes: prisma/schema.prisma matches the migrations. Nothing written.");
    return;
  }
  const dir = path.join(migrationsDir, name);
  if (existsSync(dir)) throw new Error(`${dir} already exists.`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  const lockfile = path.join(migrationsDir, lockfileName);
  if (!existsSync(lockfile)) await writeFile(lockfile, lockfileContent);
  console.log(`Created ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}. Review it, then run \`npm run db:migrate\`.`);
});

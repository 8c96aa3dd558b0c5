import path from "node:path";
import { createRequire } from "node:module";
import { defineConfig } from "prisma/config";

// `prisma generate`, `validate` and `format` only check that the schema engine binary exists; they never run
// it. Pointing the CLI at any existing file lets them work on machines that cannot download the engine,
// while `prisma migrate …` stays untouched for users who can (see docs/decisions/003-offline-migrations.md).
const offlineSafe = ["generate", "validate", "format"];
if (offlineSafe.some((command) => process.argv.includes(command)) && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const require = createRequire(import.meta.url);
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = require.resolve("prisma/package.json");
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/heyoo" },
});

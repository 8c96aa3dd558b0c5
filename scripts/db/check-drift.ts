// `npm run db:check`: fails when prisma/schema.prisma and prisma/migrations disagree, i.e. when someone
// changed the schema without creating the migration (or edited a migration by hand).
import { runCli } from "./cli";
import { diffMigrationsToSchema } from "./schema-engine";

runCli(async () => {
  const sql = await diffMigrationsToSchema();
  if (!sql.trim()) {
    console.log("OK: prisma/migrations matches prisma/schema.prisma.");
    return 0;
  }
  console.error("prisma/schema.prisma differs from what prisma/migrations builds. The missing migration would be:\n");
  console.error(sql);
  console.error("Create it with `npm run db:migration:create -- <name>`.");
  return 1;
});

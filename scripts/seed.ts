// `npm run db:seed`: a demo workspace with an owner and a member, on DATABASE_URL or the embedded database.
// Safe to run twice: existing demo accounts are left as they are.
import path from "node:path";
import { startEmbeddedDatabase } from "./db/embedded";
import { applyMigrations } from "./db/migrations";

export const DEMO = {
  password: "heyoo-demo-password",
  owner: { name: "Olivia Owner", email: "owner@demo.heyoo.dev" },
  member: { name: "Max Member", email: "member@demo.heyoo.dev" },
  workspace: { name: "Demo Workspace", slug: "demo" },
};

async function main() {
  let stop: (() => Promise<void>) | undefined;
  if (!process.env.DATABASE_URL) {
    const embedded = await startEmbeddedDatabase({ dataDir: path.resolve(".data", "pglite") });
    process.env.DATABASE_URL = embedded.url;
    process.env.DATABASE_POOL_MAX = "1";
    process.env.EMBEDDED_DATABASE = "1";
    stop = embedded.stop;
  }
  try {
    await applyMigrations(process.env.DATABASE_URL!);
    // Imported only now: the data layer reads DATABASE_URL when it loads.
    const { db } = await import("../src/server/db");
    const { hashPassword } = await import("../src/server/auth/password");
    if (await db.user.findUnique({ where: { email: DEMO.owner.email } })) {
      console.log("Demo data is already there.");
    } else {
      const passwordHash = await hashPassword(DEMO.password);
      await db.$transaction(async (tx) => {
        const owner = await tx.user.create({ data: { ...DEMO.owner, passwordHash } });
        const member = await tx.user.create({ data: { ...DEMO.member, passwordHash } });
        await tx.workspace.create({
          data: {
            ...DEMO.workspace,
            memberships: {
              create: [
                { userId: owner.id, role: "owner" },
                { userId: member.id, role: "member" },
              ],
            },
          },
        });
      });
      console.log(`Seeded workspace /${DEMO.workspace.slug}:`);
      console.log(`  owner   ${DEMO.owner.email}  /  ${DEMO.password}`);
      console.log(`  member  ${DEMO.member.email}  /  ${DEMO.password}`);
    }
    await db.$disconnect();
  } finally {
    await stop?.();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

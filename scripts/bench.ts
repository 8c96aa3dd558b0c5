// `npm run bench`: the speed claims of the README, measured side by side in one run on a fresh database
// (TEST_DATABASE_URL's server when set, else the embedded one).
//   1. API-key authentication as built (SHA-256 + one indexed lookup) against the same with an argon2id verify.
//   2. A page of the campaigns list at 1,000 rows against 1,000,000 rows (BENCH_ROWS), first and deep pages.
import { hash, verify } from "@node-rs/argon2";
import { performance } from "node:perf_hooks";
import { createTestDatabase } from "./db/test-database";

const LARGE = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SMALL = 1_000;

interface Result {
  name: string;
  perSecond: number;
  medianMs: number;
}

async function measure(name: string, runs: number, body: () => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < Math.min(20, runs); i++) await body(); // warm-up
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await body();
    times.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  return { name, perSecond: (runs / total) * 1000, medianMs: times[Math.floor(times.length / 2)]! };
}

function row(result: Result, baseline?: Result): string {
  const ratio = baseline ? `${(result.medianMs / baseline.medianMs).toFixed(2)}×` : "1.00×";
  return `| ${result.name} | ${result.perSecond.toFixed(0)} | ${result.medianMs.toFixed(2)} | ${ratio} |`;
}

async function main() {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  // Seeding a million rows is one long statement: more than the app's 30 s a query may take.
  process.env.DATABASE_QUERY_TIMEOUT_MS = "600000";
  if (!process.env.TEST_DATABASE_URL) {
    process.env.DATABASE_POOL_MAX = "1";
    process.env.EMBEDDED_DATABASE = "1";
  }
  try {
    // Loaded only now: the data layer reads DATABASE_URL when it loads.
    const { db } = await import("../src/server/db");
    const { signUp } = await import("../src/server/accounts/sign-up");
    const { sessionPrincipalOrThrow } = await import("../src/server/auth/session-door");
    const { createApiKey } = await import("../src/server/api-keys/create-api-key");
    const { authenticateApiKey } = await import("../src/server/auth/api-key-door");
    const { hashApiKey } = await import("../src/server/api-keys/key-format");
    const { PASSWORD_HASH_OPTIONS } = await import("../src/server/auth/password");
    const { listCampaigns } = await import("../src/server/campaigns/read-campaigns");

    const team = async (email: string) => {
      const { user, workspace } = await signUp({ name: "Bench", email, password: "bench-password-123" });
      return sessionPrincipalOrThrow({ sessionId: "bench", user: { ...user } }, workspace.slug);
    };
    const owner = await team("bench-small@example.com");
    const big = await team("bench-large@example.com");

    // 1. Authentication
    const { key } = await createApiKey(owner, { name: "bench", kind: "all", owner: "you" });
    const argonHash = await hash(key, PASSWORD_HASH_OPTIONS);
    const sha = await measure("SHA-256 lookup (as built)", 2000, () => authenticateApiKey(key));
    const argon = await measure("argon2id verify + lookup", 200, async () => {
      await db.apiKey.findUnique({ where: { hashedKey: hashApiKey(key) }, select: { id: true } });
      await verify(argonHash, key);
    });

    // 2. Pagination
    const insert = (workspaceId: string, rows: number) => db.$executeRaw`
      INSERT INTO "Campaign" (id, "workspaceId", name, subject, status, "createdAt", "updatedAt")
      SELECT ${workspaceId} || '-' || g, ${workspaceId}, 'Campaign ' || g, 'Subject', 'draft',
             now() - g * interval '1 second', now()
      FROM generate_series(1, ${rows}::int) AS g`;
    const t0 = performance.now();
    await insert(owner.workspace.id, SMALL);
    await insert(big.workspace.id, LARGE);
    await db.$executeRawUnsafe(`ANALYZE "Campaign"`);
    const seeded = ((performance.now() - t0) / 1000).toFixed(1);

    const deepCursor = async (principal: typeof owner, depth: number) => {
      const rowAt = await db.campaign.findFirstOrThrow({
        where: { workspaceId: principal.workspace.id },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: depth,
        select: { createdAt: true, id: true },
      });
      return Buffer.from(`${rowAt.createdAt.toISOString()}|${rowAt.id}`).toString("base64url");
    };
    const page = (principal: typeof owner, cursor?: string) => () => listCampaigns(principal, { limit: 25, cursor });
    const smallFirst = await measure(`first page of ${SMALL.toLocaleString("en")} rows`, 300, page(owner));
    const largeFirst = await measure(`first page of ${LARGE.toLocaleString("en")} rows`, 300, page(big));
    const smallDeep = await measure(`page at row 900 of ${SMALL.toLocaleString("en")}`, 300, page(owner, await deepCursor(owner, 900)));
    const largeDeep = await measure(`page at row ${(LARGE - 100).toLocaleString("en")} of ${LARGE.toLocaleString("en")}`, 300, page(big, await deepCursor(big, LARGE - 100)));

    const server = process.env.TEST_DATABASE_URL ? "PostgreSQL server (TEST_DATABASE_URL)" : "embedded PGlite";
    console.log(`\nnpm run bench — ${server}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
    console.log("| measurement | ops/s | median ms | median vs first row |\n|---|---|---|---|");
    console.log(row(sha));
    console.log(row(argon, sha));
    console.log(`\n(${SMALL.toLocaleString("en")} + ${LARGE.toLocaleString("en")} campaigns inserted in ${seeded} s)\n`);
    console.log("| measurement | ops/s | median ms | median vs first row |\n|---|---|---|---|");
    console.log(row(smallFirst));
    console.log(row(largeFirst, smallFirst));
    console.log(row(smallDeep, smallFirst));
    console.log(row(largeDeep, smallFirst));
    await db.$disconnect();
  } finally {
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

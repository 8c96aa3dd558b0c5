import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET as live } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { db } from "@/server/db";
import { call } from "../support/api";

const migrations = readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("health checks for load balancers", () => {
  it("GET /api/health answers 200 without touching the database", async () => {
    const answer = await call(() => Promise.resolve(live()), "GET", "/api/health");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: "ok" });
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("GET /api/health/ready answers 200 when the database answers and every migration is applied", async () => {
    const answer = await call(ready, "GET", "/api/health/ready");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: "ready", migrations: migrations.length });
  });

  it("answers 503 problem+json naming the migration that is not applied", async () => {
    const last = migrations.at(-1)!;
    // As `npm run db:migrate -- --rolled-back` leaves it: recorded, but not applied.
    await db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ${last}`;
    try {
      const answer = await call(ready, "GET", "/api/health/ready");
      expect(answer.status).toBe(503);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(answer.json).toMatchObject({ code: "service_unavailable", detail: expect.stringContaining(last) });
    } finally {
      await db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = ${last}`;
    }
    expect((await call(ready, "GET", "/api/health/ready")).status).toBe(200);
  });
});

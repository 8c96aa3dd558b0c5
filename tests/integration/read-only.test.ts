import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { runAction } from "@/server/http/action";
import { toAppError } from "@/server/http/to-app-error";
import { createTeam } from "../support/factories";

// A write the database refuses because it is read-only (SQLSTATE 25006: a failover, maintenance), through
// Prisma exactly as the services write. tests/hard/database-read-only.test.ts covers the whole server.
// Not on the embedded database: the watch for writability opens a second connection, which it serves one at a time.
describe.skipIf(process.env.EMBEDDED_DATABASE === "1")("a write refused by a read-only database", () => {
  it("is a 503 with Retry-After, a Server Action gets the message for its form, and nothing is written", async () => {
    const { workspace } = await createTeam();
    const write = () =>
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("SET TRANSACTION READ ONLY");
        await tx.workspace.update({ where: { id: workspace.id }, data: { name: "Renamed while read-only" } });
      });

    const appError = toAppError(
      await write().then(
        () => null,
        (error: unknown) => error,
      ),
    );
    expect(appError).toMatchObject({ code: "service_unavailable", details: { retryAfterSeconds: 5 } });
    expect(appError.status).toBe(503);
    expect(appError.message).toMatch(/read-only/);

    expect(await runAction(write)).toEqual({
      ok: false,
      code: "service_unavailable",
      message: appError.message,
      fieldErrors: undefined,
      requiredPermission: undefined,
    });
    expect((await db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).name).toBe(workspace.name);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { apiKeyNoticesOperation } from "@/server/api-keys/operations";
import { execute } from "@/server/api/execute";
import type { Principal } from "@/server/auth/principal";
import { db } from "@/server/db";
import { AppError } from "@/server/http/errors";
import { mintKey } from "../support/api";
import { createTeam } from "../support/factories";

// What the workspace layout tells owners (apiKeyNoticesOperation): leaked keys not rolled or deleted yet, and
// keys that still work but stop within 7 days, by expiry or by the end of a grace period, soonest first, the
// first three named and all counted. Members are not asked; another workspace's keys never count.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let owner: Principal;
let member: Principal;
let names: Record<string, string>;

/** A key of `principal`'s workspace with its lifecycle columns set directly (times relative to now). */
async function keyWith(principal: Principal, name: string, data: Record<string, Date | string | null>) {
  const key = await mintKey(principal, { name });
  await db.apiKey.update({ where: { id: key.id }, data });
  return key.id;
}

const at = (offset: number) => new Date(Date.now() + offset);

async function notices(principal: Principal) {
  return (await execute(apiKeyNoticesOperation, principal, {})).data;
}

beforeAll(async () => {
  const team = await createTeam();
  const other = await createTeam();
  owner = team.owner;
  member = team.member;
  names = {};
  const add = async (name: string, data: Record<string, Date | string | null>, principal = owner) =>
    (names[await keyWith(principal, name, data)] = name);

  await add("plain", {});
  await add("expires in 2 days", { expiresAt: at(2 * DAY) });
  await add("expires in 6 days", { expiresAt: at(6 * DAY) });
  await add("expires in 8 days", { expiresAt: at(8 * DAY) });
  await add("expired", { expiresAt: at(-HOUR) });
  // A roll's old key: stops by its grace period (before its expiry), or has stopped already.
  await add("rolled, stops in 1 hour", { rolledAt: at(-HOUR), stopsAt: at(HOUR), expiresAt: at(30 * DAY) });
  await add("rolled, stopped", { rolledAt: at(-2 * HOUR), stopsAt: at(-HOUR) });
  await add("rolled, stops in 9 days", { rolledAt: at(-HOUR), stopsAt: at(9 * DAY) });
  await add("leaked", { leakedAt: at(-HOUR), leakSource: "github" });
  await add("leaked earlier, expiring", { leakedAt: at(-2 * HOUR), leakSource: "public_report", expiresAt: at(DAY) });
  await add("leaked, then rolled", { leakedAt: at(-3 * HOUR), leakSource: "github", rolledAt: at(-HOUR), stopsAt: at(-HOUR) });
  await add("another workspace's leak", { leakedAt: at(-HOUR), leakSource: "github", expiresAt: at(DAY) }, other.owner);
});

describe("the owner's key notices", () => {
  it("name the leaked keys not yet rolled, latest first, with their source", async () => {
    const { leaked } = await notices(owner);
    expect(leaked.total).toBe(2);
    expect(leaked.keys.map((key) => [names[key.id], key.source])).toEqual([
      ["leaked", "github"],
      ["leaked earlier, expiring", "public_report"],
    ]);
    expect(leaked.keys[0]).toMatchObject({ partialKey: expect.stringMatching(/^hey_…[0-9A-Za-z]{4}$/) });
  });

  it("name the working keys that stop within 7 days, soonest first, by whichever comes first", async () => {
    const { stopping } = await notices(owner);
    expect(stopping.total).toBe(3);
    expect(stopping.keys.map((key) => [names[key.id], key.reason])).toEqual([
      ["rolled, stops in 1 hour", "roll"],
      ["expires in 2 days", "expiry"],
      ["expires in 6 days", "expiry"],
    ]);
    const [first] = stopping.keys;
    expect(Math.abs(Date.parse(first!.stopsAt) - (Date.now() + HOUR))).toBeLessThan(60_000);
  });

  it("count past the first three", async () => {
    await keyWith(owner, "expires in 3 days", { expiresAt: at(3 * DAY) });
    await keyWith(owner, "rolled, stops in 4 days", { rolledAt: at(-HOUR), stopsAt: at(4 * DAY), expiresAt: null });
    const { stopping } = await notices(owner);
    expect(stopping.total).toBe(5);
    expect(stopping.keys).toHaveLength(3);
    expect(stopping.keys.map((key) => Date.parse(key.stopsAt))).toEqual(
      [...stopping.keys.map((key) => Date.parse(key.stopsAt))].sort((a, b) => a - b),
    );
  });

  it("are for owners only: a member is refused apiKeys.manageAll", async () => {
    await expect(notices(member)).rejects.toSatisfy(
      (error) => error instanceof AppError && error.code === "forbidden" && error.details.requiredPermission === "apiKeys.manageAll",
    );
  });
});

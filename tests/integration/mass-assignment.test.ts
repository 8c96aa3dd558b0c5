import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "@/server/api/registry";
import { db } from "@/server/db";
import { replaceTxtLookup } from "@/server/domains/dns";
import { createTeam } from "../support/factories";
import {
  callOwn,
  keyPool,
  ownPath,
  schemaFields,
  send,
  seedResources,
  validBody,
  type Answer,
  type Resources,
} from "../support/operation-calls";
import { workspaceSnapshot } from "../support/workspace-snapshot";

// Mass assignment: fields a client must never set (another workspace, a role, ids, timestamps, secrets, a
// machine flag) are refused by name on every write, and change nothing. And no answer ever carries a secret:
// no hashedKey, passwordHash, tokenHash or verificationToken key, no 64-hex string (a SHA-256), and none of
// the stored secret values themselves.

type Team = Awaited<ReturnType<typeof createTeam>>;
interface Tenant {
  team: Team;
  resources: Resources;
}

/** The workspace the calls are made in, and another one whose ids the forbidden fields carry. */
let home: Tenant;
let other: Tenant;
/** Keys of the home workspace's owner, with every permission. */
let ownerKey: () => Promise<string>;
let restoreDns: () => void;

async function makeTenant(label: string): Promise<Tenant> {
  const team = await createTeam();
  return { team, resources: await seedResources(team.owner, label) };
}

beforeAll(async () => {
  restoreDns = replaceTxtLookup(async () => []);
  home = await makeTenant("Home");
  other = await makeTenant("Other");
  ownerKey = keyPool(home.team.owner, { name: "Mass assignment" });
});

afterAll(() => restoreDns?.());

/** Every answer this file got, for the secrecy checks at the end. */
const answers: { label: string; answer: Answer }[] = [];

/** The forbidden fields, each with a value that would do harm if it were taken: the other workspace's ids. */
const FORBIDDEN: Record<string, () => unknown> = {
  workspaceId: () => other.resources.workspaceId,
  role: () => "owner",
  id: () => other.resources.campaignId,
  createdAt: () => "2000-01-01T00:00:00.000Z",
  updatedAt: () => "2000-01-01T00:00:00.000Z",
  hashedKey: () => createHash("sha256").update("hey_attacker").digest("hex"),
  ownerId: () => other.team.owner.user.id,
  permissions: () => ["apiKeys.write", "workspaces.write", "machineUsers.create"],
  passwordHash: () => "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
  isMachine: () => true,
};

const WRITES = OPERATIONS.filter((operation) => ["POST", "PUT", "PATCH"].includes(operation.method));
const WITH_BODY = WRITES.filter((operation) => operation.body);
const WITHOUT_BODY = WRITES.filter((operation) => !operation.body);

const CASES = WITH_BODY.flatMap((operation) =>
  Object.keys(FORBIDDEN)
    // Where it is a real field ("permissions" of a key), it is validated as one: not an extra field.
    .filter((field) => !schemaFields(operation.body).includes(field))
    .map((field) => [`${operation.method} ${operation.path} with "${field}"`, operation, field] as const),
);

async function snapshots() {
  return Promise.all([workspaceSnapshot(home.resources.workspaceId), workspaceSnapshot(other.resources.workspaceId)]);
}

describe("mass assignment: extra fields are refused by name", () => {
  it("covers every write operation", () => {
    expect(WRITES.length).toBeGreaterThan(0);
    expect(new Set(CASES.map(([, operation]) => operation.id)).size).toBe(WITH_BODY.length);
  });

  it.each(CASES)("%s: 422 naming it, nothing changed", async (_, operation, field) => {
    const key = await ownerKey();
    const body = { ...validBody(operation, home.resources), [field]: FORBIDDEN[field]!() };
    const before = await snapshots();
    const answer = await send(key, operation.method, ownPath(operation, home.resources), { body });
    answers.push({ label: `${operation.id} + ${field}`, answer });
    expect(answer.status, answer.text).toBe(422);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.json).toMatchObject({ status: 422, code: "unprocessable_entity" });
    expect(answer.json!.errors).toEqual({ [field]: ["Unknown field."] });
    expect(await snapshots()).toEqual(before);
  });

  it.each(Object.keys(FORBIDDEN))(
    'an event with "%s" in POST /api/v1/campaigns/{id}/events: 422 naming it, nothing changed',
    async (field) => {
      const operation = OPERATIONS.find((candidate) => candidate.id === "recordCampaignEvents")!;
      const key = await ownerKey();
      const { events } = validBody(operation, home.resources) as { events: Record<string, unknown>[] };
      const body = { events: [...events, { ...events[0], [field]: FORBIDDEN[field]!() }] };
      const before = await snapshots();
      const answer = await send(key, "POST", ownPath(operation, home.resources), { body });
      answers.push({ label: `recordCampaignEvents + events.1.${field}`, answer });
      expect(answer.status, answer.text).toBe(422);
      expect(answer.json!.errors).toEqual({ [`events.1.${field}`]: ["Unknown field."] });
      expect(await snapshots()).toEqual(before);
    },
  );

  // Operations without a body schema never read the body: whatever it holds is ignored (not refused).
  it.each(WITHOUT_BODY.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s, which takes no body, ignores every forbidden field",
    async (_, operation) => {
      const key = await ownerKey();
      const path = ownPath(operation, home.resources);
      const plain = await send(key, operation.method, path);
      expect(plain.status, plain.text).toBe(operation.status);
      const hostile = Object.fromEntries(Object.entries(FORBIDDEN).map(([field, value]) => [field, value()]));
      const [, otherBefore] = await snapshots();
      const answer = await send(key, operation.method, path, { body: hostile });
      answers.push({ label: `${operation.id} + every forbidden field`, answer });
      expect(answer.status, answer.text).toBe(operation.status);
      // The same resource, as it was: only the times a call itself moves may differ.
      const stable = (json: Record<string, unknown> | null) => ({
        ...json,
        updatedAt: undefined,
        lastCheckedAt: undefined,
        verifiedAt: undefined,
      });
      expect(stable(answer.json)).toEqual(stable(plain.json));
      expect(await workspaceSnapshot(other.resources.workspaceId)).toEqual(otherBefore);
    },
  );

  it("left the home workspace's owner, keys and memberships as they were made", async () => {
    const memberships = await db.membership.findMany({
      where: { workspaceId: home.resources.workspaceId },
      select: { role: true, user: { select: { isMachine: true } } },
    });
    expect(memberships.map((membership) => membership.role).sort()).toEqual(["member", "owner"]);
    expect(memberships.every((membership) => !membership.user.isMachine)).toBe(true);
    const victim = await db.apiKey.findUniqueOrThrow({
      where: { id: home.resources.apiKeyId },
      select: { permissions: true, workspaceId: true },
    });
    expect(victim).toEqual({ permissions: ["tags.read"], workspaceId: home.resources.workspaceId });
  });
});

// ---- Secrets never leave: a successful call of every operation with a response schema, then every answer of
// this file scanned.

const SECRET_KEYS = new Set(["hashedKey", "passwordHash", "tokenHash", "verificationToken"]);
const SHA256_HEX = /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/i;

function secretKeysIn(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => secretKeysIn(item, `${path}[${index}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => [
      ...(SECRET_KEYS.has(key) ? [`${path}.${key}`] : []),
      ...secretKeysIn(inner, `${path}.${key}`),
    ]);
  }
  return [];
}

const WITH_RESPONSE = OPERATIONS.filter((operation) => operation.response);

describe("mass assignment: no answer carries a secret", () => {
  it.each(WITH_RESPONSE.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s succeeds",
    async (_, operation) => {
      const answer = await callOwn(await ownerKey(), operation, home.resources);
      answers.push({ label: operation.id, answer });
      expect(answer.status, answer.text).toBe(operation.status);
    },
  );

  it("never names a secret field, nor carries a 64-hex string, in any answer", () => {
    const successes = answers.filter(({ answer }) => answer.status < 300);
    expect(successes.length).toBeGreaterThanOrEqual(WITH_RESPONSE.length);
    // A refusal names the unknown field it refused (e.g. errors.hashedKey), so only successes are read for keys.
    for (const { label, answer } of successes) expect(secretKeysIn(answer.json), label).toEqual([]);
    for (const { label, answer } of answers) expect(answer.text, label).not.toMatch(SHA256_HEX);
  });

  it("never carries a stored secret value", async () => {
    const workspaceId = home.resources.workspaceId;
    const [keys, users, domains] = await Promise.all([
      db.apiKey.findMany({ where: { workspaceId }, select: { hashedKey: true } }),
      db.user.findMany({ where: { memberships: { some: { workspaceId } } }, select: { passwordHash: true } }),
      db.domain.findMany({ where: { workspaceId }, select: { verificationToken: true } }),
    ]);
    const secrets = [...keys.map((key) => key.hashedKey), ...users.map((user) => user.passwordHash)].filter(
      (value): value is string => !!value,
    );
    expect(secrets.length).toBeGreaterThan(keys.length);
    for (const { label, answer } of answers) {
      for (const secret of secrets) expect(answer.text.includes(secret), `${label} carries a stored hash`).toBe(false);
    }
    // The verification token is published on purpose (it is the TXT record's value), never under its column name.
    expect(domains.length).toBeGreaterThan(0);
  });
});

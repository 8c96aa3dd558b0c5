import { describe, expect, it } from "vitest";
import { changePassword, countOtherSessions, deleteAccount, deletionPlan, signOutOtherSessions } from "@/server/accounts/account-security";
import { authenticateWithPassword } from "@/server/accounts/authenticate";
import { changePasswordSchema, deleteAccountSchema } from "@/server/accounts/schemas";
import { authenticateApiKey } from "@/server/auth/api-key-door";
import { hashPassword } from "@/server/auth/password";
import type { SessionUser } from "@/server/auth/session";
import { db } from "@/server/db";
import { AppError } from "@/server/http/errors";
import { mintKey } from "../support/api";
import { addMember, createAccount, createTeam, PASSWORD, principalOf, unique, WRONG_PASSWORD } from "../support/factories";
import { refusal } from "../support/helpers";
import { rememberSecret } from "../support/secrets";
import { workspaceSnapshot } from "../support/workspace-snapshot";

const NEW_PASSWORD = rememberSecret("a brand new passphrase", "password");
const LAPTOP_PASSWORD = rememberSecret("laptop's new passphrase", "password");
const PHONE_PASSWORD = rememberSecret("phone's new passphrase", "password");

/** Signs in `email` as a browser would, returning that browser's session. */
async function signIn(email: string, password: string = PASSWORD): Promise<SessionUser> {
  const { userId, sessionId } = await authenticateWithPassword({ email, password }, unique("ip"));
  rememberSecret(sessionId, "session id");
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, name: true, email: true, isMachine: true } });
  return { sessionId, user };
}

async function sessionExists(session: SessionUser): Promise<boolean> {
  return (await db.session.count({ where: { id: session.sessionId } })) === 1;
}

const passwordChange = (currentPassword: string, newPassword: string) => changePasswordSchema.parse({ currentPassword, newPassword });
const deletion = (email: string, password: string = PASSWORD) => deleteAccountSchema.parse({ confirmation: email, password });

describe("changing the password", () => {
  it("needs the current password, ends every other session and keeps this one", async () => {
    const { email, user } = await createAccount();
    const [laptop, phone, tablet] = [await signIn(email), await signIn(email), await signIn(email)];
    const someoneElse = await signIn((await createAccount()).email);
    expect(await countOtherSessions(laptop)).toBe(2);

    expect(await changePassword(laptop, passwordChange(PASSWORD, NEW_PASSWORD))).toEqual({ endedSessions: 2 });

    expect(await sessionExists(laptop)).toBe(true);
    expect(await sessionExists(phone)).toBe(false);
    expect(await sessionExists(tablet)).toBe(false);
    expect(await sessionExists(someoneElse)).toBe(true);
    expect((await refusal(signIn(email))).code).toBe("unauthorized");
    expect((await signIn(email, NEW_PASSWORD)).user.id).toBe(user.id);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("refuses a wrong current password with a field error and changes nothing", async () => {
    const { email } = await createAccount();
    const [laptop, phone] = [await signIn(email), await signIn(email)];

    const error = await refusal(changePassword(laptop, passwordChange(WRONG_PASSWORD, NEW_PASSWORD)));

    expect(error.code).toBe("unprocessable_entity");
    expect(error.details.fieldErrors).toEqual({ currentPassword: ["The password is incorrect."] });
    expect(await sessionExists(phone)).toBe(true);
    await expect(signIn(email)).resolves.toBeTruthy();
  });

  it("refuses reusing the current password, and passwords outside 8–128 characters", async () => {
    const { email } = await createAccount();
    const laptop = await signIn(email);
    const same = await refusal(changePassword(laptop, passwordChange(PASSWORD, PASSWORD)));
    expect(same.details.fieldErrors).toEqual({ newPassword: ["The new password must differ from the current one."] });
    expect(changePasswordSchema.safeParse({ currentPassword: PASSWORD, newPassword: "short" }).success).toBe(false);
    expect(changePasswordSchema.safeParse({ currentPassword: PASSWORD, newPassword: "x".repeat(129) }).success).toBe(false);
  });

  it("limits wrong current passwords like sign-in attempts (5 per account in these tests)", async () => {
    const { email } = await createAccount();
    const laptop = await signIn(email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await refusal(changePassword(laptop, passwordChange(`wrong ${attempt}`, NEW_PASSWORD)))).code).toBe("unprocessable_entity");
    }
    // Even the right password waits now: a borrowed session cannot go on guessing.
    expect((await refusal(changePassword(laptop, passwordChange(PASSWORD, NEW_PASSWORD)))).code).toBe("rate_limited");
  });

  it("lets one of two simultaneous changes win; the other is refused and its password never works", async () => {
    const { email } = await createAccount();
    const [laptop, phone] = [await signIn(email), await signIn(email)];
    const results = await Promise.allSettled([
      changePassword(laptop, passwordChange(PASSWORD, LAPTOP_PASSWORD)),
      changePassword(phone, passwordChange(PASSWORD, PHONE_PASSWORD)),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const [winner, loser] = results[0]!.status === "fulfilled" ? [LAPTOP_PASSWORD, PHONE_PASSWORD] : [PHONE_PASSWORD, LAPTOP_PASSWORD];
    await expect(signIn(email, winner)).resolves.toBeTruthy();
    expect((await refusal(signIn(email, loser))).code).toBe("unauthorized");
    // Only the winner's browser is still signed in.
    expect([await sessionExists(laptop), await sessionExists(phone)].filter(Boolean)).toHaveLength(1);
  });
});

describe("signing out other sessions", () => {
  it("ends the account's other sessions only", async () => {
    const { email } = await createAccount();
    const [laptop, phone] = [await signIn(email), await signIn(email)];
    const someoneElse = await signIn((await createAccount()).email);
    expect(await signOutOtherSessions(laptop)).toEqual({ endedSessions: 1 });
    expect([await sessionExists(laptop), await sessionExists(phone), await sessionExists(someoneElse)]).toEqual([true, false, true]);
    expect(await countOtherSessions(laptop)).toBe(0);
  });
});

describe("deleting the account", () => {
  it("deletes the user, their sessions, keys and memberships, and the workspaces only they used", async () => {
    const team = await createTeam();
    const member = await db.user.findUniqueOrThrow({ where: { id: team.member.user.id } });
    const memberEmail = member.email;
    // The member also has a workspace of their own, with a machine user in it.
    const own = await db.membership.findFirstOrThrow({
      where: { userId: member.id, workspaceId: { not: team.workspace.id } },
      select: { workspaceId: true },
    });
    const ownPrincipal = await principalOf(member.id, own.workspaceId);
    const machineKey = await mintKey(ownPrincipal, { name: "Deploy bot", owner: "machine" });
    const memberKey = await mintKey(team.member, { kind: "read_only" });
    const [laptop, phone] = [await signIn(memberEmail), await signIn(memberEmail)];
    const ownerKey = await mintKey(team.owner);

    expect(await deletionPlan(member.id)).toMatchObject({
      deleted: [{ id: own.workspaceId }],
      blocking: [],
      left: [{ id: team.workspace.id }],
    });
    await deleteAccount(laptop, deletion(memberEmail.toUpperCase()));

    expect(await db.user.count({ where: { id: member.id } })).toBe(0);
    expect([await sessionExists(laptop), await sessionExists(phone)]).toEqual([false, false]);
    expect(await db.workspace.count({ where: { id: own.workspaceId } })).toBe(0);
    expect(await db.user.count({ where: { isMachine: true, id: machineKey.owner.id } })).toBe(0);
    expect(await db.apiKey.count({ where: { id: { in: [memberKey.id, machineKey.id] } } })).toBe(0);
    for (const key of [memberKey.key, machineKey.key]) expect((await refusal(authenticateApiKey(key))).code).toBe("invalid_api_key");
    // The shared workspace and its owner are untouched.
    expect(await db.membership.count({ where: { workspaceId: team.workspace.id } })).toBe(1);
    await expect(authenticateApiKey(ownerKey.key)).resolves.toBeTruthy();
    // The address is free again, and the old password opens nothing.
    expect((await refusal(signIn(memberEmail))).code).toBe("unauthorized");
  });

  it("is refused for the last owner of a workspace others still use, and changes nothing", async () => {
    const team = await createTeam();
    const owner = await db.user.findUniqueOrThrow({ where: { id: team.owner.user.id } });
    const laptop = await signIn(owner.email);
    const before = await workspaceSnapshot(team.workspace.id);

    expect(await deletionPlan(owner.id)).toMatchObject({ blocking: [{ id: team.workspace.id }], deleted: [], left: [] });
    const error = await refusal(deleteAccount(laptop, deletion(owner.email)));

    expect(error.code).toBe("conflict");
    expect(error.message).toContain(`“${team.workspace.name}”`);
    expect(await workspaceSnapshot(team.workspace.id)).toEqual(before);
    expect(await sessionExists(laptop)).toBe(true);
  });

  it("is allowed for an owner when another person is an owner too", async () => {
    const team = await createTeam();
    const coOwner = await addMember(team.workspace.id, "owner", "Cora Owner");
    const laptop = await signIn(coOwner.user.email);
    const ownWorkspaces = await db.membership.findMany({
      where: { userId: coOwner.user.id, workspaceId: { not: team.workspace.id } },
      select: { workspaceId: true },
    });
    await deleteAccount(laptop, deletion(coOwner.user.email));
    expect(await db.membership.count({ where: { workspaceId: team.workspace.id } })).toBe(2);
    expect(await db.workspace.count({ where: { id: { in: ownWorkspaces.map((row) => row.workspaceId) } } })).toBe(0);
  });

  it("needs the typed email and the password; either wrong changes nothing", async () => {
    const { email, user } = await createAccount();
    const laptop = await signIn(email);

    const mistyped = await refusal(deleteAccount(laptop, deletion(`x${email}`)));
    expect(mistyped.details.fieldErrors).toEqual({ confirmation: [`Type ${email} to confirm.`] });
    const wrongPassword = await refusal(deleteAccount(laptop, deletion(email, WRONG_PASSWORD)));
    expect(wrongPassword.details.fieldErrors).toEqual({ password: ["The password is incorrect."] });

    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
    expect(await sessionExists(laptop)).toBe(true);
  });
});

// The pool of the embedded database has one connection: holding a lock in one transaction while another waits
// for it needs two.
describe.skipIf(process.env.EMBEDDED_DATABASE === "1")("sessions and password changes racing", () => {
  it("never opens a session for a password that was changed after it was checked", async () => {
    const { email, user } = await createAccount();
    const newHash = await hashPassword(NEW_PASSWORD);
    let signIn: Promise<unknown> | undefined;
    // Holds the user row as a password change does; the sign-in checks the old password meanwhile and must
    // wait for the row, then finds the password changed.
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${user.id} FOR UPDATE`;
      signIn = authenticateWithPassword({ email, password: PASSWORD }, unique("ip")).then(
        () => "signed in",
        (error: unknown) => error,
      );
      await waitForLockWaiters(1);
      await tx.user.update({ where: { id: user.id }, data: { passwordHash: newHash } });
    });
    const outcome = await signIn;
    expect(outcome).toBeInstanceOf(AppError);
    expect((outcome as AppError).code).toBe("unauthorized");
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

/** Waits until `count` queries of this database are waiting for a lock. */
async function waitForLockWaiters(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [row] = await db.$queryRaw<{ waiting: number }[]>`
      SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.waiting ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No query waited for a lock within 10 s`);
}

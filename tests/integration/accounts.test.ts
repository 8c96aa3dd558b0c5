import { describe, expect, it } from "vitest";
import { authenticateWithPassword, INVALID_CREDENTIALS_MESSAGE } from "@/server/accounts/authenticate";
import { signUp } from "@/server/accounts/sign-up";
import { signUpSchema } from "@/server/accounts/schemas";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { createAccount, PASSWORD, unique, WRONG_PASSWORD } from "../support/factories";
import { refusal } from "../support/helpers";
import { rememberSecret } from "../support/secrets";

describe("sign-up", () => {
  it("creates the user, their first workspace and makes them its owner", async () => {
    const { user, workspace } = await createAccount("Ada Lovelace");
    const membership = await db.membership.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: workspace.id, userId: user.id } },
    });
    expect(membership.role).toBe("owner");
    expect(workspace.name).toBe("Ada's workspace");
    expect(workspace.slug).toMatch(/^ada-s-workspace(-[0-9a-f]{6})?$/);
  });

  it("stores the password only as an argon2id hash with at least OWASP's parameters", async () => {
    const { user } = await createAccount();
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored.passwordHash).not.toContain(PASSWORD);
    expect(user).not.toHaveProperty("passwordHash");
  });

  it("refuses a second account with the same email, in any case, and creates nothing", async () => {
    const { email } = await createAccount();
    const before = await db.workspace.count();
    const error = await refusal(signUp(signUpSchema.parse({ name: "Copy", email: email.toUpperCase(), password: PASSWORD })));
    expect(error.code).toBe("conflict");
    expect(error.details.fieldErrors?.email).toEqual(["An account with this email already exists."]);
    expect(await db.workspace.count()).toBe(before);
  });

  it.each([
    [{ name: "A", email: "a@example.com", password: "short" }, "password", "Use at least 8 characters."],
    [
      { name: "A", email: "a@example.com", password: rememberSecret("x".repeat(129), "password") },
      "password",
      "Use at most 128 characters.",
    ],
    [{ name: "A", email: "not-an-email", password: PASSWORD }, "email", "Enter a valid email address."],
    [{ name: " ", email: "a@example.com", password: PASSWORD }, "name", "Enter your name."],
  ])("gives a field error for %j", (input, field, message) => {
    const result = signUpSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((issue) => issue.path[0] === field)?.message).toBe(message);
  });
});

describe("sign-in", () => {
  it("accepts the right password and opens a session", async () => {
    const { user, email } = await createAccount();
    const { userId, sessionId } = await authenticateWithPassword({ email: email.toUpperCase(), password: PASSWORD }, unique("ip"));
    rememberSecret(sessionId, "session id");
    expect(userId).toBe(user.id);
    const session = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it("says the same thing for a wrong password and for an unknown email", async () => {
    const { email } = await createAccount();
    const wrong = await refusal(authenticateWithPassword({ email, password: WRONG_PASSWORD }, unique("ip")));
    const unknown = await refusal(authenticateWithPassword({ email: `${unique()}@example.com`, password: PASSWORD }, unique("ip")));
    for (const error of [wrong, unknown]) {
      expect(error.code).toBe("unauthorized");
      expect(error.message).toBe(INVALID_CREDENTIALS_MESSAGE);
    }
  });

  it("limits failures per account, then refuses even the right password with a Retry-After", async () => {
    const { email } = await createAccount();
    const limit = config().SIGN_IN_MAX_FAILURES_PER_ACCOUNT;
    for (let attempt = 0; attempt < limit; attempt++) {
      expect((await refusal(authenticateWithPassword({ email, password: WRONG_PASSWORD }, unique("ip")))).code).toBe("unauthorized");
    }
    const limited = await refusal(authenticateWithPassword({ email, password: PASSWORD }, unique("ip")));
    expect(limited.code).toBe("rate_limited");
    expect(limited.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.details.retryAfterSeconds).toBeLessThanOrEqual(config().SIGN_IN_WINDOW_SECONDS);
  });

  it("limits failures per client address across accounts", async () => {
    const ip = unique("ip");
    const limit = config().SIGN_IN_MAX_FAILURES_PER_IP;
    for (let attempt = 0; attempt < limit; attempt++) {
      await refusal(authenticateWithPassword({ email: `${unique()}@example.com`, password: WRONG_PASSWORD }, ip));
    }
    const { email } = await createAccount();
    expect((await refusal(authenticateWithPassword({ email, password: PASSWORD }, ip))).code).toBe("rate_limited");
    await expect(authenticateWithPassword({ email, password: PASSWORD }, unique("ip"))).resolves.toBeTruthy();
  });

  it("forgives earlier failures after a successful sign-in", async () => {
    const { email } = await createAccount();
    const limit = config().SIGN_IN_MAX_FAILURES_PER_ACCOUNT;
    for (let attempt = 0; attempt < limit - 1; attempt++) {
      await refusal(authenticateWithPassword({ email, password: WRONG_PASSWORD }, unique("ip")));
    }
    await authenticateWithPassword({ email, password: PASSWORD }, unique("ip"));
    for (let attempt = 0; attempt < limit - 1; attempt++) {
      expect((await refusal(authenticateWithPassword({ email, password: WRONG_PASSWORD }, unique("ip")))).code).toBe("unauthorized");
    }
  });

  it("never lets a machine user sign in", async () => {
    const email = `${unique("machine")}@machine.heyoo.invalid`;
    await db.user.create({ data: { email, name: "CI bot", isMachine: true } });
    expect((await refusal(authenticateWithPassword({ email, password: "" }, unique("ip")))).code).toBe("unauthorized");
  });
});

describe("sign-up limit per client address", () => {
  /** POST /api/account/sign-up from `forwardedFor`, as the app's proxy passes it on, for an email already taken. */
  async function signUpFrom(forwardedFor: string, email: string) {
    const { POST } = await import("@/app/api/account/sign-up/route");
    const request = new Request("http://heyoo.test/api/account/sign-up", {
      method: "POST",
      headers: { "content-type": "application/json", host: "heyoo.test", origin: "http://heyoo.test", "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ name: "Again", email, password: PASSWORD }),
    });
    return (await POST(request)).status;
  }

  it("counts every attempt of an address, whatever the client writes in front of it in X-Forwarded-For", async () => {
    const { email } = await createAccount();
    const address = `203.0.113.${Math.floor(Math.random() * 250) + 1}-${unique()}`;
    const limit = config().SIGN_UP_MAX_PER_IP;
    for (let attempt = 0; attempt < limit; attempt++) {
      // A fresh forged first entry each time: the proxy's own entry (the last) is what counts.
      expect(await signUpFrom(`10.${attempt}.0.1, ${address}`, email)).toBe(409);
    }
    expect(await signUpFrom(`10.99.0.1, ${address}`, email)).toBe(429);
    expect(await signUpFrom(`${address}, 198.51.100.${attempt()}`, email)).toBe(409);
  });
});

let addressCounter = 0;
/** A last octet no other test of this file uses. */
function attempt(): number {
  addressCounter += 1;
  return addressCounter;
}

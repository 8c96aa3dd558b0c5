import { describe, expect, it } from "vitest";
import { signUpSchema } from "@/server/accounts/schemas";
import { signUpFromInvite } from "@/server/accounts/sign-up";
import { db } from "@/server/db";
import { createInvite, revokeInvite } from "@/server/people/invites";
import { createAccount, PASSWORD, principalOf, unique } from "../support/factories";
import { refusal } from "../support/helpers";

async function ownerWithInvite() {
  const { user, workspace } = await createAccount("Olga Owner");
  const owner = await principalOf(user.id, workspace.id);
  const invite = await createInvite(owner);
  return { owner, workspace, invite };
}

function input(token: string) {
  return signUpSchema.parse({
    name: "Mia Member",
    email: `${unique("mia")}@example.com`,
    password: PASSWORD,
    inviteToken: token,
  }) as ReturnType<typeof signUpSchema.parse> & { inviteToken: string };
}

describe("sign-up from an invite link", () => {
  it("joins the invited workspace as a member and makes no workspace of their own", async () => {
    const { workspace, invite } = await ownerWithInvite();
    const { user, workspace: joined } = await signUpFromInvite(input(invite.token));
    expect(joined.slug).toBe(workspace.slug);
    const memberships = await db.membership.findMany({ where: { userId: user.id }, select: { workspaceId: true, role: true } });
    expect(memberships).toEqual([{ workspaceId: workspace.id, role: "member" }]);
    const used = await db.invite.findUniqueOrThrow({ where: { id: invite.id }, select: { acceptedById: true } });
    expect(used.acceptedById).toBe(user.id);
  });

  it("refuses a link that can no longer be used, and creates no account", async () => {
    const { owner, invite } = await ownerWithInvite();
    await revokeInvite(owner, invite.id);
    const data = input(invite.token);
    const error = await refusal(signUpFromInvite(data));
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/revoked/);
    expect(await db.user.count({ where: { email: data.email } })).toBe(0);
  });

  it("refuses an unknown token with 404, and creates no account", async () => {
    const data = input("x".repeat(43));
    const error = await refusal(signUpFromInvite(data));
    expect(error.code).toBe("not_found");
    expect(await db.user.count({ where: { email: data.email } })).toBe(0);
  });

  it("takes a link only once: the second person to sign up from it is refused", async () => {
    const { invite } = await ownerWithInvite();
    await signUpFromInvite(input(invite.token));
    const second = input(invite.token);
    expect((await refusal(signUpFromInvite(second))).code).toBe("conflict");
    expect(await db.user.count({ where: { email: second.email } })).toBe(0);
  });
});

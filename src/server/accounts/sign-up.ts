import "server-only";
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { AppError } from "@/server/http/errors";
import { acceptInviteIn } from "@/server/people/invites";
import { createWorkspaceForUser } from "@/server/workspaces/create-workspace";
import { isUniqueViolation } from "@/server/prisma-errors";
import type { SignUpInput } from "./schemas";

type Transaction = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Creates the account and its first workspace, with the new user as owner, in one transaction. */
export function signUp(input: SignUpInput) {
  // A first name of up to 100 characters, cut so the name fits a workspace name's 64.
  return createAccount(input, (tx, userId) =>
    createWorkspaceForUser(tx, userId, { name: `${input.name.split(" ")[0]!.slice(0, 52)}'s workspace` }),
  );
}

/**
 * Creates the account from an invite link: in the same transaction it joins the invited workspace as a
 * member, and no workspace of its own is made. A link that can no longer be used refuses the sign-up with its
 * reason (409), so nobody ends up in a workspace they did not ask for.
 */
export function signUpFromInvite(input: SignUpInput & { inviteToken: string }) {
  return createAccount(input, (tx, userId) => acceptInviteIn(tx, userId, input.inviteToken, "sign_up"));
}

async function createAccount<W>(input: SignUpInput, firstWorkspace: (tx: Transaction, userId: string) => Promise<W>) {
  const passwordHash = await hashPassword(input.password);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
        const workspace = await firstWorkspace(tx, user.id);
        return { user, workspace };
      });
    } catch (error) {
      // Two sign-ups with the same first name at once can pick the same free slug: the loser tries again, and
      // then sees that slug taken.
      if (isUniqueViolation(error, "slug") && attempt < 3) continue;
      if (isUniqueViolation(error, "email")) {
        throw new AppError("conflict", "An account with this email already exists. Sign in instead.", {
          fieldErrors: { email: ["An account with this email already exists."] },
        });
      }
      throw error;
    }
  }
}

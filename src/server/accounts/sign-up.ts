import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { AppError } from "@/server/http/errors";
import { createWorkspaceForUser } from "@/server/workspaces/create-workspace";
import { isUniqueViolation } from "@/server/prisma-errors";
import type { SignUpInput } from "./schemas";

/** Creates the account and its first workspace, with the new user as owner, in one transaction. */
export async function signUp(input: SignUpInput) {
  const passwordHash = await hashPassword(input.password);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
        // A first name of up to 100 characters, cut so the name fits a workspace name's 64.
        const workspace = await createWorkspaceForUser(tx, user.id, { name: `${input.name.split(" ")[0]!.slice(0, 52)}'s workspace` });
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

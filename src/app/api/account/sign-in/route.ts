// POST /api/account/sign-in – check email and password and set the session cookie
import { signInWithPassword } from "@/server/auth/session";
import { accountRoute } from "@/server/http/account-route";
import { signInSchema } from "@/server/accounts/schemas";
import { AppError } from "@/server/http/errors";
import { INVALID_CREDENTIALS_MESSAGE } from "@/server/accounts/authenticate";

export const POST = accountRoute(async (body) => {
  const parsed = signInSchema.safeParse(body);
  if (!parsed.success) throw new AppError("unauthorized", INVALID_CREDENTIALS_MESSAGE);
  await signInWithPassword(parsed.data.email, parsed.data.password);
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
});

// POST /api/account/sign-up – create an account and its first workspace (or join the invited one), then sign in
import { signUpSchema } from "@/server/accounts/schemas";
import { signUp, signUpFromInvite } from "@/server/accounts/sign-up";
import { signInWithPassword } from "@/server/auth/session";
import { config } from "@/server/config";
import { accountRoute } from "@/server/http/account-route";
import { clientIp } from "@/server/http/client-ip";
import { consumeOrThrow, createLimiter } from "@/server/http/rate-limit";
import type { RateLimiterAbstract } from "rate-limiter-flexible";

let limiter: RateLimiterAbstract | undefined;

export const POST = accountRoute(async (body, request) => {
  const input = signUpSchema.parse(body);
  limiter ??= createLimiter("sign-up:ip", config().SIGN_UP_MAX_PER_IP, 3600);
  await consumeOrThrow(limiter, clientIp(request.headers), "Too many sign-ups from this address.");
  const { inviteToken } = input;
  const joined = inviteToken !== undefined;
  const { workspace } = inviteToken ? await signUpFromInvite({ ...input, inviteToken }) : await signUp(input);
  await signInWithPassword(input.email, input.password);
  // Who joined a team lands on its home; a new workspace has no key yet, and creating one is the first thing to do.
  const redirectTo = joined ? `/${workspace.slug}` : `/${workspace.slug}/settings/api-keys`;
  return Response.json({ ok: true, redirectTo, joined }, { status: 201, headers: { "cache-control": "no-store" } });
});

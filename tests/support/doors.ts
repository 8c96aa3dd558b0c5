import { encode } from "next-auth/jwt";
import { authenticateWithPassword } from "@/server/accounts/authenticate";
import { SESSION_WORKSPACE_PARAM } from "@/server/api/handle";
import type { Principal } from "@/server/auth/principal";
import { config } from "@/server/config";
import { addMember, PASSWORD, unique } from "./factories";
import { keyPool, send, type Answer, type SendOptions } from "./operation-calls";
import { rememberSecret } from "./secrets";

// The two ways into /api/v1 (src/server/api/handle.ts), so that a test can be written once and run through
// both: an API key, or a signed-in browser (session cookie + ?workspace=<slug> + a same-site Origin on writes).

export const DOOR_NAMES = ["key", "session"] as const;
export type DoorName = (typeof DOOR_NAMES)[number];

/** What one request needs to go through a door. */
export interface Pass {
  headers: Record<string, string>;
  query: Record<string, string>;
}

export interface Door {
  name: DoorName;
  /**
   * The credentials for one case (a request or two) of `method`, each used for at most 50 cases so the API's
   * rate limit (120 a minute in these tests) never answers. Call it before a snapshot: it may write.
   */
  pass(method: string): Promise<Pass>;
}

/** The origin of the in-process requests (tests/support/operation-calls.ts sends to http://heyoo.test). */
export const SAME_ORIGIN = "http://heyoo.test";

/**
 * Auth.js's session cookie on http (on https it is "__Secure-authjs.session-token"); also the salt of the
 * token's encryption key.
 */
export const SESSION_COOKIE = "authjs.session-token";

/**
 * A session cookie for `user`, as POST /api/account/sign-in leaves it: the Session row is made by the real
 * password check, and the token carries what Auth.js's credentials callback and our jwt callback put in it
 * (`sub`, the user id, and `sid`, naming the row: authorize() returns no name or email), encrypted with
 * AUTH_SECRET and the cookie's name as salt, as Auth.js does. tenant-isolation.test.ts compares it with the
 * cookie of the real sign-in.
 */
export async function sessionCookie(user: { email: string }): Promise<string> {
  const { userId, sessionId } = await authenticateWithPassword({ email: user.email, password: PASSWORD }, unique("ip"));
  const token = await encode({
    token: { sub: userId, sid: sessionId },
    secret: process.env.AUTH_SECRET!,
    salt: SESSION_COOKIE,
    maxAge: config().SESSION_MAX_AGE_DAYS * 86_400,
  });
  rememberSecret(sessionId, "session id");
  return `${SESSION_COOKIE}=${rememberSecret(token, "session cookie")}`;
}

/** Keys of `principal` with every permission. */
export function keyDoor(principal: Principal, uses = 50): Door {
  const key = keyPool(principal, { name: `${principal.user.name}'s key, all permissions` }, uses);
  return { name: "key", pass: async () => ({ headers: { authorization: `Bearer ${await key()}` }, query: {} }) };
}

/**
 * `principal`'s browser session in its workspace. The API's rate limit counts per signed-in user, so after
 * `uses` cases the door signs in another person of the same role in the same workspace.
 */
export function sessionDoor(principal: Principal, uses = 50): Door {
  let cookie: string | undefined;
  let used = 0;
  return {
    name: "session",
    async pass(method) {
      if (!cookie || used >= uses) {
        const user = cookie ? (await addMember(principal.workspace.id, principal.role, unique("Stand-in"))).user : principal.user;
        cookie = await sessionCookie(user);
        used = 0;
      }
      used += 1;
      // Browsers send Origin on every write; handle.ts refuses a write without a same-site one.
      const headers: Record<string, string> = { cookie };
      if (!["GET", "HEAD"].includes(method)) headers.origin = SAME_ORIGIN;
      return { headers, query: { [SESSION_WORKSPACE_PARAM]: principal.workspace.slug } };
    },
  };
}

export function doorOf(name: DoorName, principal: Principal): Door {
  return name === "key" ? keyDoor(principal) : sessionDoor(principal);
}

/** `send` through a door: the pass's headers and query come with the call's own (the call's win). */
export function sendThrough(pass: Pass, method: string, path: string, options: SendOptions = {}): Promise<Answer> {
  return send(undefined, method, path, {
    ...options,
    query: { ...pass.query, ...options.query },
    headers: { ...pass.headers, ...options.headers },
  });
}

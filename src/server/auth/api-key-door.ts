import { db } from "@/server/db";
import { effectiveKeyPermissions } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/http/errors";
import { API_KEY_PREFIX, hashApiKey, isWellFormedApiKey } from "@/server/api-keys/key-format";

const LAST_USED_RESOLUTION_MS = 60_000;

export const API_KEY_ERRORS = {
  missing: () => new AppError("missing_api_key", "Missing API key. Send it as a header: `Authorization: Bearer hey_…`."),
  malformed: () =>
    new AppError(
      "malformed_api_key",
      "Malformed API key. Send `Authorization: Bearer hey_…` with the whole key, exactly as it was shown when it was created.",
    ),
  // Unknown and revoked keys answer alike, so the answer never confirms that a key once existed.
  invalid: () => new AppError("invalid_api_key", "Invalid API key. It may have been deleted; create a new key in Settings → API Keys."),
  expired: () => new AppError("expired_api_key", "This API key has expired. Create a new key in Settings → API Keys."),
};

/** The bearer token of an Authorization header, or null when there is none. */
export function bearerToken(authorization: string | null): string | null {
  if (authorization === null) return null;
  // The scheme is case-insensitive (RFC 9110); the token itself must be exactly the key.
  const match = /^bearer +(\S+) *$/i.exec(authorization);
  if (!match) throw API_KEY_ERRORS.malformed();
  return match[1]!;
}

/**
 * The API-key door: a Heyoo key becomes the same principal as a session. Looked up on every request (no
 * cache), so deletion, expiry and removal of the owner apply to the very next request.
 */
export async function authenticateApiKey(token: string): Promise<Principal> {
  // Shape and checksum first: a typo or random text costs no database work.
  if (!token.startsWith(API_KEY_PREFIX) || !isWellFormedApiKey(token)) throw API_KEY_ERRORS.malformed();

  const key = await db.apiKey.findUnique({
    where: { hashedKey: hashApiKey(token) },
    select: {
      id: true,
      permissions: true,
      expiresAt: true,
      lastUsedAt: true,
      workspace: { select: { id: true, slug: true, name: true } },
      membership: { select: { role: true, user: { select: { id: true, name: true, email: true, isMachine: true } } } },
    },
  });
  if (!key) throw API_KEY_ERRORS.invalid();
  const now = new Date();
  if (key.expiresAt && key.expiresAt <= now) throw API_KEY_ERRORS.expired();

  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // At most one write per key per minute, across all instances: the condition makes the update a no-op
    // for everyone but the first request of the minute. Bookkeeping only: a database that refuses writes
    // (read-only during a failover) must not fail the read it rides on.
    await db.apiKey
      .updateMany({
        where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
        data: { lastUsedAt: now },
      })
      .catch((error: unknown) => console.error("[heyoo] last-used time not recorded:", error instanceof Error ? error.message.split("\n").at(-1) : "unknown error"));
  }

  return {
    workspace: key.workspace,
    user: key.membership.user,
    role: key.membership.role,
    apiKey: { id: key.id },
    permissions: effectiveKeyPermissions(key.permissions, key.membership.role),
  };
}

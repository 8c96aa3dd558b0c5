import "server-only";
import { db } from "@/server/db";
import { effectiveKeyPermissions } from "@/server/auth/permissions";
import type { CachedKey } from "@/server/auth/key-cache";
import { recordKeyUse } from "@/server/auth/last-used";
import type { Principal } from "@/server/auth/principal";
import { principalChanges } from "@/server/auth/principal-changes";
import { AppError } from "@/server/http/errors";
import { API_KEY_PREFIX, hashApiKey, isWellFormedApiKey } from "@/server/api-keys/key-format";

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
 * The API-key door: a Heyoo key becomes the same principal as a session. A known key is answered from process
 * memory (key-cache.ts) without a database statement; every change that could alter its principal drops the
 * entry on every instance before the change returns (principal-changes.ts), so deletion, narrowing and removal
 * of the owner still apply to the very next request. Expiry is checked here on every request, cached or not.
 */
export async function authenticateApiKey(token: string): Promise<Principal> {
  // Shape and checksum first: a typo or random text costs no database work.
  if (!token.startsWith(API_KEY_PREFIX) || !isWellFormedApiKey(token)) throw API_KEY_ERRORS.malformed();
  const hashedKey = hashApiKey(token);
  const changes = principalChanges();
  // The listener starts with the first key request; until it is up, every request reads the database.
  void changes.start();

  const cached = changes.cache.get(hashedKey);
  if (cached) return admit(cached, new Date());

  // Taken before the read: if a change is applied while it runs, what it read may be stale and is not kept.
  const ticket = changes.cache.ticket();
  const key = await db.apiKey.findUnique({
    where: { hashedKey },
    select: {
      id: true,
      permissions: true,
      expiresAt: true,
      workspace: { select: { id: true, slug: true, name: true } },
      membership: { select: { role: true, user: { select: { id: true, name: true, email: true, isMachine: true } } } },
    },
  });
  if (!key) throw API_KEY_ERRORS.invalid();
  const entry: CachedKey = {
    keyId: key.id,
    workspaceId: key.workspace.id,
    userId: key.membership.user.id,
    expiresAt: key.expiresAt,
    principal: {
      workspace: key.workspace,
      user: key.membership.user,
      role: key.membership.role,
      apiKey: { id: key.id },
      permissions: effectiveKeyPermissions(key.permissions, key.membership.role),
    },
  };
  const now = new Date();
  if (!isExpired(entry, now)) changes.cache.fill(ticket, hashedKey, entry);
  return admit(entry, now);
}

const isExpired = (entry: CachedKey, now: Date) => entry.expiresAt !== null && entry.expiresAt <= now;

function admit(entry: CachedKey, now: Date): Principal {
  if (isExpired(entry, now)) throw API_KEY_ERRORS.expired();
  recordKeyUse(entry.keyId, now);
  return entry.principal;
}

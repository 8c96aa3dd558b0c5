import "server-only";
import { now as clockNow } from "@/server/clock";
import { db } from "@/server/db";
import { effectiveKeyPermissions } from "@/server/auth/permissions";
import type { CachedKey } from "@/server/auth/key-cache";
import type { Principal } from "@/server/auth/principal";
import { principalChanges } from "@/server/auth/principal-changes";
import { startLapseSweep } from "@/server/audit/lapses";
import { AppError } from "@/server/http/errors";
import { allowlistAdmits } from "@/server/http/ip-address";
import { requestClient } from "@/server/http/request-context";
import { API_KEY_PREFIX, hashApiKey, isWellFormedApiKey } from "@/server/api-keys/key-format";
import { apiKeyStatus } from "@/server/api-keys/serialize";

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
  replaced: (stoppedAt: Date) =>
    new AppError(
      "expired_api_key",
      `This API key was replaced when it was rolled, and its grace period ended at ${stoppedAt.toISOString()}. Use the key that replaced it.`,
    ),
  leaked: (leakedAt: Date) =>
    new AppError(
      "leaked_api_key",
      `This API key was found in public and revoked at ${leakedAt.toISOString()}. Create a new key in Settings → API Keys, and keep it out of code and logs.`,
    ),
  ipNotAllowed: (ip: string) =>
    new AppError(
      "ip_not_allowed",
      `This API key cannot be used from ${ip}: the address is not on its IP allowlist. Add it in Settings → API Keys, or call from an allowed address.`,
    ),
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
 * entry on every instance before the change returns (principal-changes.ts), so deletion, narrowing, a roll's
 * end, a leak report and removal of the owner still apply to the very next request. Expiry, the end of a grace
 * period and the key's IP allowlist (against `ip`, the caller's address: the current request's by default) are
 * checked on every request.
 */
export async function authenticateApiKey(token: string, ip: string = requestClient().ip, now: Date = clockNow()): Promise<Principal> {
  // Shape and checksum first: a typo or random text costs no database work.
  if (!token.startsWith(API_KEY_PREFIX) || !isWellFormedApiKey(token)) throw API_KEY_ERRORS.malformed();
  const hashedKey = hashApiKey(token);
  const changes = principalChanges();
  // The listener starts with the first key request; until it is up, every request reads the database.
  void changes.start();
  // Expiries and ends of grace periods reach the audit log from a sweep: a refused request changes nothing.
  startLapseSweep();

  const cached = changes.cache.get(hashedKey);
  if (cached) return admit(cached, ip, now);

  // Taken before the read: if a change is applied while it runs, what it read may be stale and is not kept.
  const ticket = changes.cache.ticket();
  const key = await db.apiKey.findUnique({
    where: { hashedKey },
    select: {
      id: true,
      name: true,
      permissions: true,
      expiresAt: true,
      stopsAt: true,
      rolledAt: true,
      leakedAt: true,
      ipAllowlist: true,
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
    stopsAt: key.stopsAt,
    leakedAt: key.leakedAt,
    ipAllowlist: key.ipAllowlist,
    principal: {
      workspace: key.workspace,
      user: key.membership.user,
      role: key.membership.role,
      apiKey: { id: key.id, name: key.name, stopsAt: earliest(key.expiresAt, key.stopsAt), rolled: key.rolledAt !== null },
      permissions: effectiveKeyPermissions(key.permissions, key.membership.role),
    },
  };
  // A key that can no longer be used is not kept: admit() refuses it, and the next request reads it again.
  if (!refusalOf(entry, now)) changes.cache.fill(ticket, hashedKey, entry);
  return admit(entry, ip, now);
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * Why a key can no longer be used at all, whoever calls: its status as the keys list shows it (serialize.ts),
 * so a leaked, stopped or expired key is refused for the reason the list gives.
 */
function refusalOf(entry: CachedKey, now: Date): AppError | null {
  const status = apiKeyStatus({ ...entry, rolledAt: null }, now);
  if (status === "leaked") return API_KEY_ERRORS.leaked(entry.leakedAt!);
  if (status === "stopped") return API_KEY_ERRORS.replaced(entry.stopsAt!);
  if (status === "expired") return API_KEY_ERRORS.expired();
  return null;
}

function admit(entry: CachedKey, ip: string, now: Date): Principal {
  const refusal = refusalOf(entry, now);
  if (refusal) throw refusal;
  if (entry.ipAllowlist.length > 0 && !allowlistAdmits(entry.ipAllowlist, ip)) throw API_KEY_ERRORS.ipNotAllowed(ip);
  return entry.principal;
}

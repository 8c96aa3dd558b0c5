import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { sha256Hex } from "@/server/crypto/tokens";

// hey_ + 30 random base62 characters (≈178 bits) + 6 base62 characters of CRC32 over the random part, like
// GitHub's tokens: a scanner can tell a real Heyoo key from random text offline, and a typo is caught
// before any database work.
export const API_KEY_PREFIX = "hey_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: number, width: number): string {
  let out = "";
  for (let rest = value; out.length < width; rest = Math.floor(rest / 62)) out = ALPHABET[rest % 62] + out;
  return out;
}

/** Uniformly random base62 characters (rejection sampling, so no character is more likely than another). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

export function displayForm(key: string): string {
  return `${API_KEY_PREFIX}…${key.slice(-4)}`;
}

export interface NewApiKey {
  /** The secret: returned to its creator once, never stored. */
  key: string;
  hashedKey: string;
  partialKey: string;
}

export function generateApiKey(): NewApiKey {
  const random = randomBase62(RANDOM_LENGTH);
  const key = `${API_KEY_PREFIX}${random}${base62(crc32(random), CHECKSUM_LENGTH)}`;
  return { key, hashedKey: hashApiKey(key), partialKey: displayForm(key) };
}

/** True when `candidate` has the shape of a Heyoo key and its checksum matches (no database needed). */
export function isWellFormedApiKey(candidate: string): boolean {
  if (!KEY_PATTERN.test(candidate)) return false;
  const random = candidate.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + RANDOM_LENGTH);
  return candidate.slice(-CHECKSUM_LENGTH) === base62(crc32(random), CHECKSUM_LENGTH);
}

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Secrets are never compared with === in our code, where the time taken could tell an attacker how many leading
// characters matched: passwords go through argon2's constant-time verify, API keys and invite tokens are looked
// up by the SHA-256 of the whole secret (an attacker cannot steer the hash's bytes), session cookies are
// authenticated by Auth.js. This test finds every ===/!== whose operands name a secret, so a new one must be
// justified here.

const SRC = path.resolve(import.meta.dirname, "../..");
const SECRET_NAME = /\b\w*(secret|password|token|hashedkey|tokenhash|checksum|plaintext)\w*\b/i;
/** A bare `key` (the API key a caller sent) as an operand; `event.key` or `key.id` are not secrets. */
const BARE_KEY = /(^|[^.\w])key\s*(===|!==)|(===|!==)\s*key\b(?![.?])/;
const COMPARISON = /(===|!==)/;

/** Lines comparing something named like a secret that leak nothing, and why. */
const HARMLESS: Record<string, string> = {
  "server/api-keys/key-format.ts: return candidate.slice(-CHECKSUM_LENGTH) === base62(crc32(random), CHECKSUM_LENGTH);":
    "both sides come from the caller's own input: it tells them nothing they did not send",
  "server/accounts/account-security.ts: if (input.newPassword === input.currentPassword) {":
    "both typed by the same person in the same request",
  "server/accounts/authenticate.ts: if (current?.passwordHash !== verifiedHash) return null;":
    "two values read from the database; nothing the caller sent",
  'server/auth/auth-js.ts: return Object.assign(session, { sessionId: typeof token.sid === "string" ? token.sid : undefined });':
    "a type check of the decoded cookie",
  "server/api/handle.ts: if (token !== null) return authenticateApiKey(token);": "a presence check",
  'components/auth-form.tsx: const inviteToken = mode === "sign-up" ? inviteTokenOf(target) : undefined;':
    "compares the form's mode, not the token",
  'components/auth-form.tsx: <Field label="Password" htmlFor="password" errors={errors.password} hint={mode === "sign-up" ? "8 to 128 characters." : undefined}>':
    "compares the form's mode, not the password",
  "app/api/account/sign-up/route.ts: const joined = inviteToken !== undefined;": "a presence check",
};

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(ts|tsx)$/.test(file) && !file.endsWith(".test.ts") && !file.startsWith("generated"))
    .map((file) => file.split(path.sep).join("/"));
}

/** String literals say nothing about what is compared ("Password changed." is not a password). */
function withoutStrings(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
}

/** Every source line with ===/!== that names a secret outside string literals, as "file: line". */
function secretComparisons(): string[] {
  return sourceFiles().flatMap((file) =>
    readFileSync(path.join(SRC, file), "utf8")
      .split("\n")
      .filter((line) => {
        const code = withoutStrings(line);
        return COMPARISON.test(code) && (SECRET_NAME.test(code) || BARE_KEY.test(code));
      })
      .map((line) => `${file}: ${line.trim()}`),
  );
}

describe("secret comparisons", () => {
  it("compares no secret with === or !== except the listed harmless ones", () => {
    expect(secretComparisons().filter((comparison) => !(comparison in HARMLESS))).toEqual([]);
  });

  it("has no stale entry in the list of harmless comparisons", () => {
    const found = new Set(secretComparisons());
    expect(Object.keys(HARMLESS).filter((comparison) => !found.has(comparison))).toEqual([]);
  });
});

import "server-only";
import { hashApiKey, isWellFormedApiKey } from "@/server/api-keys/key-format";
import { sha256Hex } from "@/server/crypto/tokens";
import { AppError } from "@/server/http/errors";
import { fieldErrorsOf } from "@/server/http/to-app-error";
import { parseJson, readJson, readJsonBytes } from "@/server/http/read-json";
import type { z } from "zod";
import { reportGitHubSecretScanning, reportLeakedKeys } from "./endpoints";
import { signatureHeaders, verifyGitHubSignatureOrThrow } from "./github-keys";
import { markKeysLeaked } from "./mark-keys-leaked";
import type { GitHubFeedback } from "./schemas";

// What the two doors do with a report, once their own door (handle-public.ts) let it in.

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("unprocessable_entity", "The request has invalid fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}

/**
 * GitHub's report: signature first (headers, then the exact bytes), JSON after. Tokens that are not shaped like
 * a Heyoo key are false positives known without a lookup; the others are revoked if they exist.
 */
export async function receiveGitHubReport(request: Request): Promise<GitHubFeedback> {
  const signature = signatureHeaders(request.headers);
  const bytes = await readJsonBytes(request, reportGitHubSecretScanning.maxBodyBytes);
  await verifyGitHubSignatureOrThrow(bytes, signature);
  const matches = parseOrThrow(reportGitHubSecretScanning.body, parseJson(bytes));

  const sightings = matches
    .filter((match) => isWellFormedApiKey(match.token))
    .map((match) => ({
      hashedKey: hashApiKey(match.token),
      url: match.url || null,
      details: match.source ? { location: match.source } : undefined,
    }));
  const leaked = await markKeysLeaked(sightings, "github");
  return matches.map((match) => {
    const tokenHash = sha256Hex(match.token);
    const label = isWellFormedApiKey(match.token) && leaked.has(tokenHash) ? "true_positive" : "false_positive";
    return { token_hash: tokenHash, token_type: match.type, label };
  });
}

/** A public report: every key checked offline first (422), then the same statements whether or not any exists. */
export async function receiveLeakReport(request: Request): Promise<{ received: number }> {
  const { keys, url } = parseOrThrow(reportLeakedKeys.body, await readJson(request, reportLeakedKeys.maxBodyBytes));
  await markKeysLeaked(
    keys.map((key) => ({ hashedKey: hashApiKey(key), url: url ?? null })),
    "public_report",
  );
  return { received: keys.length };
}

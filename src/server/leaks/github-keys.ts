import "server-only";
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { config, gitHubScanningKeysSchema, type GitHubScanningKeys } from "@/server/config";
import { AppError } from "@/server/http/errors";

// The keys GitHub signs its secret scanning reports with, and the check of a report's signature. The keys come
// from SECRET_SCANNING_GITHUB_KEYS when it is set (GitHub's meta answer, pinned by the operator), else from
// GitHub's meta endpoint, fetched with a bounded timeout and kept for an hour. Whatever fails here (no headers,
// a bad signature, an unknown identifier, GitHub unreachable) is a 401: the report is refused whole, nothing is
// revoked, and GitHub sends it again later.

export const GITHUB_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";
export const KEY_IDENTIFIER_HEADER = "github-public-key-identifier";
export const SIGNATURE_HEADER = "github-public-key-signature";

const FETCH_TIMEOUT_MS = 5_000;
const KEYS_MAX_AGE_MS = 60 * 60_000;
/** An identifier not among fresh keys may be a key GitHub just added; GitHub is asked again at most this often. */
const REFETCH_UNKNOWN_AFTER_MS = 5 * 60_000;
/** After a failed fetch, reports are refused without asking GitHub again for this long. */
const FAILED_FETCH_PAUSE_MS = 30_000;
const MAX_KEYS_ANSWER_BYTES = 256 * 1024;
/** A DER ECDSA P-256 signature is at most 72 bytes (96 in base64); a header beyond this is not one. */
const MAX_SIGNATURE_LENGTH = 200;
const MAX_IDENTIFIER_LENGTH = 256;

type KeyRing = Map<string, KeyObject>;

function invalid(message: string): AppError {
  return new AppError("invalid_signature", message);
}

/** GitHub's keys by identifier; a key that is not an EC P-256 public key is left out (it could verify nothing). */
function keyRingOf(answer: GitHubScanningKeys): KeyRing {
  const ring: KeyRing = new Map();
  for (const { key_identifier: identifier, key } of answer.public_keys) {
    try {
      const object = createPublicKey(key);
      if (object.asymmetricKeyType === "ec" && object.asymmetricKeyDetails?.namedCurve === "prime256v1") ring.set(identifier, object);
      else console.error(`[heyoo] secret scanning: GitHub key ${identifier.slice(0, 80)} is not an EC P-256 key, ignored`);
    } catch {
      console.error(`[heyoo] secret scanning: GitHub key ${identifier.slice(0, 80)} is not a PEM public key, ignored`);
    }
  }
  return ring;
}

let configured: { from: GitHubScanningKeys; ring: KeyRing } | undefined;
let fetched: { ring: KeyRing; at: number } | undefined;
let failedAt = -Infinity;
let fetching: Promise<KeyRing> | undefined;

async function readBounded(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_KEYS_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`answer larger than ${MAX_KEYS_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function fetchKeyRing(): Promise<KeyRing> {
  try {
    const response = await fetch(GITHUB_KEYS_URL, {
      headers: { accept: "application/vnd.github+json", "user-agent": "heyoo-secret-scanning" },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: "error",
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`GitHub answered ${response.status}`);
    }
    const ring = keyRingOf(gitHubScanningKeysSchema.parse(JSON.parse(await readBounded(response))));
    fetched = { ring, at: Date.now() };
    return ring;
  } catch (error) {
    failedAt = Date.now();
    console.error(
      `[heyoo] secret scanning: GitHub's keys could not be fetched (${error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "unknown error"}); reports are refused until they can`,
    );
    throw invalid("GitHub's secret scanning keys could not be loaded, so the signature cannot be checked. Nothing was revoked.");
  }
}

/** GitHub's keys, fetched once at a time: concurrent reports wait for the same request. */
function refreshKeyRing(): Promise<KeyRing> {
  if (Date.now() - failedAt < FAILED_FETCH_PAUSE_MS) {
    return Promise.reject(
      invalid("GitHub's secret scanning keys could not be loaded, so the signature cannot be checked. Nothing was revoked."),
    );
  }
  fetching ??= fetchKeyRing().finally(() => (fetching = undefined));
  return fetching;
}

/** The key GitHub names `identifier`, or null when GitHub has none by that name. */
async function gitHubKey(identifier: string): Promise<KeyObject | null> {
  const pinned = config().SECRET_SCANNING_GITHUB_KEYS;
  if (pinned) {
    if (configured?.from !== pinned) configured = { from: pinned, ring: keyRingOf(pinned) };
    return configured.ring.get(identifier) ?? null;
  }
  const age = fetched ? Date.now() - fetched.at : Infinity;
  let ring = fetched && age < KEYS_MAX_AGE_MS ? fetched.ring : await refreshKeyRing();
  if (!ring.has(identifier) && fetched && Date.now() - fetched.at >= REFETCH_UNKNOWN_AFTER_MS) ring = await refreshKeyRing();
  return ring.get(identifier) ?? null;
}

/** The two signature headers, or a 401 before the body is read. */
export function signatureHeaders(headers: Headers): { identifier: string; signature: string } {
  const identifier = headers.get(KEY_IDENTIFIER_HEADER)?.trim() ?? "";
  const signature = headers.get(SIGNATURE_HEADER)?.trim() ?? "";
  if (!identifier || !signature) {
    throw invalid("Send the report with the headers Github-Public-Key-Identifier and Github-Public-Key-Signature. Nothing was revoked.");
  }
  if (identifier.length > MAX_IDENTIFIER_LENGTH || signature.length > MAX_SIGNATURE_LENGTH || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) {
    throw invalid("The signature headers are malformed. Nothing was revoked.");
  }
  return { identifier, signature };
}

/**
 * Throws the 401 unless `signature` (base64 DER ECDSA) is GitHub's signature of exactly these bytes, made with
 * the key GitHub names `identifier` (ECDSA P-256 with SHA-256).
 */
export async function verifyGitHubSignatureOrThrow(body: Buffer, { identifier, signature }: { identifier: string; signature: string }) {
  const key = await gitHubKey(identifier);
  if (!key) throw invalid("No GitHub secret scanning key has this identifier. Nothing was revoked.");
  let valid = false;
  try {
    valid = verify("sha256", body, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    // A signature that is not DER at all: as invalid as a wrong one.
  }
  if (!valid) throw invalid("The signature does not match the body. Nothing was revoked.");
}

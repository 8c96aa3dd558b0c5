import { generateKeyPairSync, sign } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AppError } from "@/server/http/errors";

// Without SECRET_SCANNING_GITHUB_KEYS the receiver asks GitHub's meta endpoint for its keys: once an hour, with a
// bounded timeout, and a failure of any kind is the report's 401, never a 500. GitHub is played by a stubbed fetch.

const gitHub = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const IDENTIFIER = "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c";
const BODY = Buffer.from('[{"source":"commit","token":"some_token","type":"some_type","url":"https://example.com/base-repo-url/"}]');
const SIGNATURE = sign("sha256", BODY, { key: gitHub.privateKey, dsaEncoding: "der" }).toString("base64");

const metaAnswer = (keys: { key_identifier: string; key: string; is_current: boolean }[]) =>
  new Response(JSON.stringify({ public_keys: keys }), { headers: { "content-type": "application/json" } });
const gitHubKeys = () => [
  { key_identifier: IDENTIFIER, key: gitHub.publicKey.export({ type: "spki", format: "pem" }).toString(), is_current: true },
];

/** The module afresh (its cache is per process), with GitHub answering as `answer` does. */
async function withGitHub(answer: (url: string, init: RequestInit) => Promise<Response>) {
  const fetch = vi.fn(answer);
  vi.stubGlobal("fetch", fetch);
  vi.resetModules();
  return { fetch, keys: await import("./github-keys") };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  // The module was loaded afresh, with its own AppError class: compared by name, not by instanceof.
  expect((error as Error | null)?.name).toBe("AppError");
  expect((error as AppError).status).toBe(401);
  return error as AppError;
}

beforeEach(() => {
  vi.stubEnv("SECRET_SCANNING_GITHUB_KEYS", undefined);
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.useFakeTimers({ toFake: ["Date"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("GitHub's keys, fetched when none are configured", () => {
  it("verifies GitHub's signed sample with the fetched key, asking GitHub once an hour, with a timeout and no redirects", async () => {
    const { fetch, keys } = await withGitHub(async () => metaAnswer(gitHubKeys()));
    await keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE });
    await keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe("https://api.github.com/meta/public_keys/secret_scanning");
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.redirect).toBe("error");

    vi.setSystemTime(Date.now() + 61 * 60_000);
    await keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("refuses a wrong signature and an unknown identifier with 401 invalid_signature, asking GitHub again for a new identifier at most every 5 minutes", async () => {
    const { fetch, keys } = await withGitHub(async () => metaAnswer(gitHubKeys()));
    const tampered = Buffer.from(BODY.toString().replace("some_token", "some_tokem"));
    expect((await refusal(keys.verifyGitHubSignatureOrThrow(tampered, { identifier: IDENTIFIER, signature: SIGNATURE }))).code).toBe(
      "invalid_signature",
    );
    await refusal(keys.verifyGitHubSignatureOrThrow(BODY, { identifier: "unknown", signature: SIGNATURE }));
    await refusal(keys.verifyGitHubSignatureOrThrow(BODY, { identifier: "unknown", signature: SIGNATURE }));
    expect(fetch).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + 6 * 60_000);
    await refusal(keys.verifyGitHubSignatureOrThrow(BODY, { identifier: "unknown", signature: SIGNATURE }));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  const failures: [string, () => Promise<Response>][] = [
    ["GitHub unreachable", () => Promise.reject(new TypeError("fetch failed"))],
    ["a timeout", () => Promise.reject(new DOMException("The operation was aborted due to timeout", "TimeoutError"))],
    ["a 503", async () => new Response("unavailable", { status: 503 })],
    ["a 403 (GitHub's rate limit)", async () => new Response('{"message":"API rate limit exceeded"}', { status: 403 })],
    ["an answer that is not JSON", async () => new Response("<html>")],
    ["JSON of another shape", async () => new Response('{"keys":[]}')],
    ["an answer over 256 KiB", async () => new Response("x".repeat(300 * 1024))],
    ["a key that is not PEM", async () => metaAnswer([{ key_identifier: IDENTIFIER, key: "not a key", is_current: true }])],
    [
      "an RSA key under GitHub's identifier",
      async () =>
        metaAnswer([
          {
            key_identifier: IDENTIFIER,
            key: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString(),
            is_current: true,
          },
        ]),
    ],
  ];

  it.each(failures)("%s: 401, and GitHub is not asked again for 30 seconds", async (_, answer) => {
    const { fetch, keys } = await withGitHub(answer);
    const error = await refusal(keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE }));
    expect(error.code).toBe("invalid_signature");
    await refusal(keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE }));
    expect(fetch.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it("recovers once GitHub answers again after the pause", async () => {
    let up = false;
    const { fetch, keys } = await withGitHub(async () => (up ? metaAnswer(gitHubKeys()) : Promise.reject(new TypeError("fetch failed"))));
    await refusal(keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE }));
    up = true;
    vi.setSystemTime(Date.now() + 31_000);
    await keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("asks GitHub once for concurrent reports", async () => {
    const { fetch, keys } = await withGitHub(async () => metaAnswer(gitHubKeys()));
    await Promise.all(
      Array.from({ length: 5 }, () => keys.verifyGitHubSignatureOrThrow(BODY, { identifier: IDENTIFIER, signature: SIGNATURE })),
    );
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

import type { z } from "zod";
import { publicRoute, type HttpMethod, type PublicRouteId } from "@/server/api/routes";
import { config } from "@/server/config";
import {
  gitHubFeedbackSchema,
  gitHubReportSchema,
  leakReportReceivedSchema,
  leakReportSchema,
  MAX_GITHUB_REPORT_BYTES,
  MAX_LEAK_REPORT_BYTES,
  MAX_REPORTED_KEYS,
} from "./schemas";

// The endpoints through which a leaked key is reported, declared once: their route handlers
// (src/app/api/v1/secret-scanning/github, src/app/api/v1/leaked-keys), the OpenAPI document and the tests read
// these. They are not workspace operations: no key, no session, no principal, so they are not in OPERATIONS.
// What stands in for authentication is said per endpoint: GitHub's signature, or nothing but a rate limit.

/** An error status a public endpoint can answer, with what it means there. */
export type PublicErrorStatus = 400 | 401 | 413 | 415 | 422 | 429 | 500 | 503;

export interface PublicEndpoint<B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  id: PublicRouteId;
  method: HttpMethod;
  path: string;
  tag: string;
  summary: string;
  description: string;
  /** Request headers the endpoint reads, as OpenAPI header parameters. */
  headers: readonly { name: string; description: string; required: boolean; schema: Record<string, unknown> }[];
  body: B;
  maxBodyBytes: number;
  response: R;
  status: 200 | 202;
  /** Every error status it answers, with what it means for this endpoint. */
  errors: Readonly<Partial<Record<PublicErrorStatus, string>>>;
  /** Its own counter per client address, named in the RateLimit fields. */
  rateLimit: { name: string; policy: string; limit: () => { points: number; windowSeconds: number } };
  example: { request: z.input<B>; response: z.input<R> };
}

function definePublicEndpoint<B extends z.ZodType, R extends z.ZodType>(endpoint: PublicEndpoint<B, R>): PublicEndpoint<B, R> {
  return endpoint;
}

/** Well-formed (its checksum matches) and never issued: the document's example of a found key. */
const EXAMPLE_KEY = "hey_EXAMPLE0nly0N0t0a0Real0Key00004BPn1y";

const COMMON = {
  500: "Something failed on the server's side; the answer carries no detail. Quote `requestId`.",
  503: "The database is not answering for now; nothing was revoked. `Retry-After` says when to retry.",
} as const;

export const reportGitHubSecretScanning = definePublicEndpoint({
  ...publicRoute("reportGitHubSecretScanning"),
  tag: "Leaked keys",
  summary: "Receive a GitHub secret scanning report",
  description: [
    "The receiver of GitHub's secret scanning partner program: GitHub sends what it found that matches Heyoo's key pattern in public repositories, gists, issues and npm packages.",
    "The report is checked before it is read as JSON: its exact bytes must carry GitHub's ECDSA P-256 / SHA-256 signature (`Github-Public-Key-Signature`, base64 DER) made with the key GitHub publishes under `Github-Public-Key-Identifier` (GitHub's meta endpoint, or the keys pinned in `SECRET_SCANNING_GITHUB_KEYS`). Anything else is a 401 and revokes nothing.",
    "Each match that is a Heyoo key is revoked at once: from the next request on it gets 401 `leaked_api_key`, on every instance. The key stays listed for its workspace with when, by whom and where it was found, and one audit event records the revocation. A key reported again keeps its first report.",
    "The answer is GitHub's feedback format: one entry per match, with the SHA-256 of the token (never the token) and whether it was a Heyoo key.",
  ].join("\n\n"),
  headers: [
    {
      name: "Github-Public-Key-Identifier",
      description: "The `key_identifier` of the GitHub key that signed the body.",
      required: true,
      schema: { type: "string", maxLength: 256, pattern: "^[!-~]+$" },
    },
    {
      name: "Github-Public-Key-Signature",
      description: "The ECDSA P-256 / SHA-256 signature of the raw body, DER-encoded, in base64.",
      required: true,
      schema: { type: "string", maxLength: 200, pattern: "^[A-Za-z0-9+/]+={0,2}$" },
    },
  ],
  body: gitHubReportSchema,
  maxBodyBytes: MAX_GITHUB_REPORT_BYTES,
  response: gitHubFeedbackSchema,
  status: 200,
  errors: {
    400: "The body is not valid JSON (its signature was valid).",
    401: "Missing or malformed signature headers, a signature that does not match the body, an unknown key identifier, or GitHub's keys could not be loaded (`invalid_signature`). Nothing was revoked.",
    413: `The body is larger than ${MAX_GITHUB_REPORT_BYTES} bytes.`,
    415: "The body is not JSON.",
    422: "The report is not an array of matches; `errors` lists the failing fields.",
    429: "Too many reports from this address. `Retry-After` says when to retry.",
    ...COMMON,
  },
  rateLimit: {
    name: "secret-scanning-github:ip",
    policy: "secret-scanning",
    limit: () => ({ points: config().SECRET_SCANNING_GITHUB_PER_IP, windowSeconds: 60 }),
  },
  example: {
    request: [
      {
        token: EXAMPLE_KEY,
        type: "heyoo_api_key",
        url: "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/.env",
        source: "content",
      },
    ],
    response: [
      {
        token_hash: "662a6d570db54a853facb24c1f4fbc20ef955cb7e372345ebf311b43e4a7468d",
        token_type: "heyoo_api_key",
        label: "true_positive",
      },
    ],
  },
});

export const reportLeakedKeys = definePublicEndpoint({
  ...publicRoute("reportLeakedKeys"),
  tag: "Leaked keys",
  summary: "Report leaked API keys",
  description: [
    "For anyone who found a Heyoo API key where it does not belong (a public repository, a paste, a log): send it here and it is revoked. No account and no key are needed.",
    `Up to ${MAX_REPORTED_KEYS} keys per report, each whole and shaped like a Heyoo key with a valid checksum (anything else is a 422 naming \`keys.<index>\`, and nothing is looked up). Each key that exists is revoked at once: from the next request on it gets 401 \`leaked_api_key\`; its workspace sees the report and where the keys were found.`,
    "The answer is the same whether or not any key existed, so the endpoint cannot be used to learn which keys are real. Reports are limited per client address.",
  ].join("\n\n"),
  headers: [],
  body: leakReportSchema,
  maxBodyBytes: MAX_LEAK_REPORT_BYTES,
  response: leakReportReceivedSchema,
  status: 202,
  errors: {
    400: "The body is not valid JSON.",
    413: `The body is larger than ${MAX_LEAK_REPORT_BYTES} bytes.`,
    415: "The body is not JSON.",
    422: "A key that is not a Heyoo key (its shape or checksum), too many or no keys, a URL that is not http(s), or an unknown field; `errors` lists them (e.g. `keys.2`). Nothing was looked up.",
    429: "Too many reports from this address. `Retry-After` says when to retry.",
    ...COMMON,
  },
  rateLimit: {
    name: "leak-reports:ip",
    policy: "leak-reports",
    limit: () => ({ points: config().LEAK_REPORTS_PER_IP, windowSeconds: config().LEAK_REPORTS_WINDOW_SECONDS }),
  },
  example: {
    request: { keys: [EXAMPLE_KEY], url: "https://pastebin.example/raw/abc123" },
    response: { received: 1 },
  },
});

/** Every public endpoint, in the order of the document. */
export const PUBLIC_ENDPOINTS: readonly PublicEndpoint[] = [reportLeakedKeys, reportGitHubSecretScanning];

import { z } from "zod";
import { API_KEY_LENGTH, API_KEY_PREFIX, isWellFormedApiKey } from "@/server/api-keys/key-format";

// The bodies and answers of the two doors through which a leaked key is reported: GitHub's secret scanning
// partner program, and the public revocation endpoint anyone can call with a key they found.

/** Matches GitHub may send in one report; its own batches are far smaller. */
export const MAX_GITHUB_MATCHES = 1000;
/** A report of MAX_GITHUB_MATCHES matches with long URLs stays below this. */
export const MAX_GITHUB_REPORT_BYTES = 1024 * 1024;
/** Keys one public report may name. */
export const MAX_REPORTED_KEYS = 100;
export const MAX_LEAK_URL_LENGTH = 2000;
/** A report of MAX_REPORTED_KEYS keys and the longest URL stays well below this. */
export const MAX_LEAK_REPORT_BYTES = 16 * 1024;

const KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_LENGTH - API_KEY_PREFIX.length}}$`);
const NOT_A_KEY = `Not a Heyoo API key: a key is ${API_KEY_PREFIX} and ${API_KEY_LENGTH - API_KEY_PREFIX.length} letters and digits, with a checksum. Send it whole, exactly as found.`;

/** GitHub's name for the kind of secret, echoed in the feedback: printable ASCII, as the partner registered it. */
const tokenType = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[ -~]+$/, "Use printable ASCII characters.");

/**
 * One match of GitHub's report. Fields GitHub may add later are ignored, so that a new one never makes the
 * whole report (and every revocation in it) fail.
 */
export const gitHubMatchSchema = z.object({
  token: z.string().min(1).max(1024).regex(/^\S+$/, "A token has no whitespace.").describe("The text that matched Heyoo's key pattern."),
  type: tokenType.describe("The secret type the match belongs to, as registered with GitHub."),
  url: z
    .string()
    .max(MAX_LEAK_URL_LENGTH)
    .regex(/^\S*$/, "A URL has no whitespace.")
    .optional()
    .describe("The public URL where the match was found; may be empty."),
  source: z
    .string()
    .max(100)
    .regex(/^[\w.-]*$/, "Use letters, digits, `_`, `.` and `-`.")
    .optional()
    .describe("Where on GitHub the match was found, e.g. `content`, `commit`, `issue_comment`, `npm`."),
});

export const gitHubReportSchema = z
  .array(gitHubMatchSchema)
  .max(MAX_GITHUB_MATCHES)
  .describe("GitHub's secret scanning report: the matches it found, signed by GitHub.");

export const gitHubFeedbackSchema = z
  .array(
    z.object({
      token_hash: z
        .string()
        .length(64)
        .regex(/^[0-9a-f]{64}$/)
        .describe("SHA-256 (hex) of the token, so the answer never repeats a secret."),
      token_type: tokenType.describe("The match's `type`, as sent."),
      label: z
        .enum(["true_positive", "false_positive"])
        .describe("`true_positive`: a Heyoo key, now revoked (or revoked before); `false_positive`: no Heyoo key has this text."),
    }),
  )
  .max(MAX_GITHUB_MATCHES)
  .describe("GitHub's feedback format: one entry per match, in the order of the report.");

export type GitHubReport = z.output<typeof gitHubReportSchema>;
export type GitHubFeedback = z.input<typeof gitHubFeedbackSchema>;

export const leakReportSchema = z.strictObject({
  keys: z
    .array(
      z.string().max(API_KEY_LENGTH, NOT_A_KEY).regex(KEY_SHAPE, { message: NOT_A_KEY, abort: true }).refine(isWellFormedApiKey, NOT_A_KEY),
    )
    .min(1)
    .max(MAX_REPORTED_KEYS)
    .describe("The keys found, whole (`hey_…`). Each must be shaped like a Heyoo key with a valid checksum."),
  url: z
    .url({ protocol: /^https?$/, error: "Use an http(s) URL." })
    .max(MAX_LEAK_URL_LENGTH)
    .optional()
    .describe("Where the keys were found (a public page, a paste, a repository file)."),
});

export const leakReportReceivedSchema = z.strictObject({
  received: z
    .int()
    .min(1)
    .max(MAX_REPORTED_KEYS)
    .describe("How many keys the report named. The answer is the same whether any of them existed."),
});

export type LeakReport = z.output<typeof leakReportSchema>;

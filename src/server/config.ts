import { z } from "zod";

/**
 * GitHub's answer to GET https://api.github.com/meta/public_keys/secret_scanning: the keys its secret scanning
 * signs reports with. Unknown fields are ignored, as GitHub may add some.
 */
export const gitHubScanningKeysSchema = z.object({
  public_keys: z.array(
    z.object({
      key_identifier: z.string().min(1).max(256),
      key: z.string().min(1).max(4096),
      is_current: z.boolean().optional(),
    }),
  ),
});

export type GitHubScanningKeys = z.infer<typeof gitHubScanningKeysSchema>;

/** A setting holding JSON: unparsable text fails like any other invalid setting, naming the variable. */
const jsonSetting = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "Not valid JSON." });
        return z.NEVER;
      }
    })
    .pipe(schema);

// Every setting the server reads, with its default. README.md and .env.example list the same names.
const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** How long to wait for a new connection, or for a free one from the pool. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** How long a query may go without an answer before the request fails with 503 and its connection is closed. */
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Connections of the analytics pool: analytics reads queue for these and never take the main pool's. */
  ANALYTICS_POOL_MAX: z.coerce.number().int().min(1).max(100).default(1),
  /** PostgreSQL cancels an analytics statement after this long (the request answers 503). */
  ANALYTICS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * The part of an instance's time one workspace's heavy reads (analytics) may take: they run one at a time per
   * workspace, each followed by a pause of (1 / share - 1) times its duration (decision 016). 1: no limit.
   */
  HEAVY_READ_SHARE: z.coerce.number().min(0.01).max(1).default(0.25),
  /** Heavy reads of one workspace that may wait for their turn on an instance; one more answers 429. */
  HEAVY_READ_QUEUE: z.coerce.number().int().min(1).max(10_000).default(20),
  /** How long a heavy read may wait for its turn before it answers 429. */
  HEAVY_READ_MAX_WAIT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
  /** On SIGTERM: how long the requests in flight may take to finish before the shutdown hooks run anyway. */
  SHUTDOWN_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  /** Set by the launcher and the test harness when DATABASE_URL points at the embedded single-process PGlite. */
  EMBEDDED_DATABASE: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value === "1" || value === "true"),
  REDIS_URL: z.string().min(1).optional(),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  SIGN_IN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  SIGN_UP_MAX_PER_IP: z.coerce.number().int().min(1).default(20),
  /** Proxies in front of the app that append to X-Forwarded-For (Vercel: 1; a load balancer and nginx: 2). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Failed authentications (missing, malformed, unknown or expired keys) one client address may make per window. */
  API_AUTH_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(100),
  API_AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  /** How many API keys each instance keeps in memory (least recently used dropped first). */
  KEY_CACHE_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** How often each instance writes the last-used times of its keys (the UI's "last used" lags by at most this). */
  LAST_USED_FLUSH_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
  /**
   * GitHub's secret scanning keys, as GitHub's meta endpoint answers them (JSON). Unset: fetched from GitHub and
   * cached for an hour (src/server/leaks/github-keys.ts).
   */
  SECRET_SCANNING_GITHUB_KEYS: z.preprocess(
    (value) => (value === "" ? undefined : value),
    jsonSetting(gitHubScanningKeysSchema).optional(),
  ),
  /** Reports one client address may send to the GitHub secret scanning receiver per minute. */
  SECRET_SCANNING_GITHUB_PER_IP: z.coerce.number().int().min(1).default(600),
  /** Reports one client address may send to the public leaked-key endpoint per LEAK_REPORTS_WINDOW_SECONDS. */
  LEAK_REPORTS_PER_IP: z.coerce.number().int().min(1).default(30),
  LEAK_REPORTS_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 60),
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
});

export type Config = z.infer<typeof envSchema>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= envSchema.parse(process.env);
  return cached;
}

import { z } from "zod";

// Every setting the server reads, with its default. README.md and .env.example list the same names.
const envSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.string().min(1).optional(),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  SIGN_UP_MAX_PER_IP: z.coerce.number().int().min(1).default(20),
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7),
});

export type Config = z.infer<typeof envSchema>;

let cached: Config | undefined;

export function config(): Config {
  cached ??= envSchema.parse(process.env);
  return cached;
}

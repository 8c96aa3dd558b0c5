import type { z } from "zod";

/**
 * A list page's search params through the same schema as the API's query. Bad values in a hand-edited URL
 * fall back to the defaults instead of failing the page.
 */
export function pageQuery<T>(schema: z.ZodType<T>, searchParams: Record<string, string | string[] | undefined>, keys: readonly string[]): T {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = searchParams[key];
    if (typeof value === "string" && value !== "") picked[key] = value;
  }
  const parsed = schema.safeParse(picked);
  return parsed.success ? parsed.data : schema.parse({});
}

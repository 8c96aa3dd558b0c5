/**
 * The search params a list page passes to its operation as the query: only the named ones, as the strings the
 * URL holds. The operation parses them (src/server/auth/page-principal.ts: readForPage falls back to the
 * defaults when a hand-edited URL holds a value it refuses).
 */
export function pageQuery<K extends string>(
  searchParams: Record<string, string | string[] | undefined>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = searchParams[key];
    if (typeof value === "string" && value !== "") picked[key] = value;
  }
  return picked;
}

/**
 * Text for a case-insensitive Prisma filter (`mode: "insensitive"`), which PostgreSQL runs as ILIKE: `%`, `_`
 * and `\` would otherwise be wildcards or escapes, so a search for "a_c" would match "abc".
 */
export function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

// Pure (no database): the client components and the services read the same rule.

/** A key that expires within this long is "expiring soon": highlighted in the list and on the workspace home. */
export const EXPIRING_SOON_MS = 7 * 86_400_000;

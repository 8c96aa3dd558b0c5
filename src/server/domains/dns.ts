import { Resolver } from "node:dns/promises";

/** TXT records at a name, each as its character-strings (long values are split into 255-byte chunks). */
export type TxtLookup = (name: string) => Promise<string[][]>;

const TIMEOUT_MS = 2_000;

/** The system resolver, bounded: one try of ~2 s, and a hard stop in case the resolver ignores it. */
const systemLookup: TxtLookup = async (name) => {
  const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: 1 });
  const timer = setTimeout(() => resolver.cancel(), TIMEOUT_MS + 500);
  try {
    return await resolver.resolveTxt(name);
  } finally {
    clearTimeout(timer);
  }
};

let lookup: TxtLookup = systemLookup;

export function lookupTxt(name: string): Promise<string[][]> {
  return lookup(name);
}

/**
 * Swaps the TXT lookup (tests run without a network) and returns the function that puts the previous one
 * back.
 */
export function replaceTxtLookup(next: TxtLookup): () => void {
  const previous = lookup;
  lookup = next;
  return () => {
    lookup = previous;
  };
}

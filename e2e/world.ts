import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The accounts and data that the generated browser proofs share (forms.spec.ts, pages.spec.ts): made once per
 * run by world.setup.ts, so no case signs up again. Storage states are kept beside it, per server port.
 */
export interface World {
  /** The owner's workspace (with a key, a campaign, a tag, a domain, a pending invite and a member). */
  slug: string;
  /** A second workspace of the owner's: its slug is "taken" for the other. */
  otherSlug: string;
  ownerEmail: string;
  memberEmail: string;
  memberName: string;
  /** The owner's "World key", used through the API: its page has usage to chart and permissions it never used. */
  keyId: string;
}

export type Role = "owner" | "member";

function directory(): string {
  const port = process.env.E2E_PORT;
  if (!port) throw new Error("E2E_PORT is not set: playwright.config.ts sets it.");
  const dir = path.join(os.tmpdir(), `heyoo-e2e-world-${port}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function storageStatePath(role: Role): string {
  return path.join(directory(), `${role}.json`);
}

export function saveWorld(world: World): void {
  writeFileSync(path.join(directory(), "world.json"), JSON.stringify(world));
}

export function loadWorld(): World {
  return JSON.parse(readFileSync(path.join(directory(), "world.json"), "utf8")) as World;
}

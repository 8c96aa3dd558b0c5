import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { KEY_OPTIONS, KEY_SCOPES, type Permission } from "@/server/auth/permissions";
import { AppError } from "@/server/http/errors";
import { problemBody } from "@/server/http/problem";
import { mintKey } from "./api";
import { apiClient } from "./client";
import { createTeam } from "./factories";
import { capture } from "./secrets";

/** A workspace with an owner's all-permissions key and the typed client for it. */
export async function tenant() {
  const team = await createTeam();
  const { key } = await mintKey(team.owner);
  return { ...team, api: apiClient(key) };
}

/** An id in the right format that no row has. */
export function neverExistingId(): string {
  return `c${randomBytes(12).toString("hex")}`;
}

/** A problem body without its per-request id, to compare two answers. */
export function withoutRequestId(body: unknown) {
  return { ...(body as Record<string, unknown>), requestId: undefined };
}

/** Made on first use, then shared: for table cases that each make their own rows and change nothing else. */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

/**
 * The AppError a service call refused with (fails the test when it did not refuse). Its problem body, the one
 * a route would answer with, goes to the secret ledger as an error body.
 */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  const refused = error as AppError;
  capture(
    `error body of a refused service call (${refused.code})`,
    JSON.stringify({ ...problemBody(refused, "refusal"), headers: refused.details.headers }),
  );
  return refused;
}

/**
 * Every selectable scope except `permission`, the write scope that would imply it, and the options that are
 * only of use with a scope left out.
 */
export function scopesWithout(permission: Permission): Permission[] {
  const implied = permission.endsWith(".read") ? [permission, permission.replace(".read", ".write")] : [permission];
  const kept = KEY_SCOPES.filter((scope) => !implied.includes(scope));
  return kept.filter((scope) => !KEY_OPTIONS.some((option) => option.permission === scope && !kept.includes(option.needs)));
}

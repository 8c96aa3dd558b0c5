import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The boundary between what touches the database and what anything may load: modules that reach the database
// import "server-only" (Next then refuses them in a client bundle), and what the proxy, the server's start-up
// hook and the browser share reaches none of them. Read from the source's imports, static and dynamic.

const SRC = path.resolve(import.meta.dirname, "../..");

function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  // `import type` is erased from the output: it loads nothing.
  const specifiers = [
    ...source.matchAll(
      /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)|(?:^|\n)import\s+"([^"]+)"/g,
    ),
  ];
  return specifiers.map((match) => match[1] ?? match[2] ?? match[3] ?? "");
}

function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(SRC, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate) && candidate.match(/\.tsx?$/)) return candidate;
  }
  return null;
}

/** A Server Actions module: a client that imports it gets references to call, never its code. */
function isServerActions(file: string): boolean {
  return /^\s*["']use server["']/.test(readFileSync(file, "utf8"));
}

/** Every module of src that `entry` loads, itself included (Server Actions modules are not followed). */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file !== entry && isServerActions(file)) continue;
    for (const specifier of importsOf(file)) {
      const resolved = resolveImport(file, specifier);
      if (resolved && !resolved.includes(`${path.sep}generated${path.sep}`)) queue.push(resolved);
    }
  }
  return seen;
}

function serverOnly(file: string): boolean {
  return importsOf(file).includes("server-only");
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(SRC, file);

describe("server-only boundary", () => {
  it("every module that imports the database client, pg, Redis or the rate limiter imports server-only", () => {
    const touching = sourceFiles(path.join(SRC, "server")).filter((file) =>
      importsOf(file).some((specifier) => ["@/server/db", "./db", "../db", "pg", "ioredis", "rate-limiter-flexible"].includes(specifier)),
    );
    expect(touching.length).toBeGreaterThan(20);
    expect(touching.filter((file) => !serverOnly(file)).map(relative)).toEqual([]);
  });

  it.each(["proxy.ts", "instrumentation.ts", "server/auth/permissions.ts", "server/api/pagination.ts", "server/api/common-schemas.ts"])(
    "%s loads no server-only module",
    (entry) => {
      const loaded = [...closure(path.join(SRC, entry))];
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.filter(serverOnly).map(relative)).toEqual([]);
    },
  );

  it("client components load no server-only module", () => {
    const clients = sourceFiles(SRC).filter((file) => /^\s*["']use client["']/.test(readFileSync(file, "utf8")));
    expect(clients.length).toBeGreaterThan(5);
    for (const client of clients) {
      const loaded = [...closure(client)].filter((file) => !isServerActions(file));
      expect(loaded.filter(serverOnly).map(relative), relative(client)).toEqual([]);
    }
  });
});

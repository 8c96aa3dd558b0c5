import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { ERRORS } from "@/server/http/errors";
import { sessionCookie, SAME_ORIGIN } from "../support/doors";
import { createTeam } from "../support/factories";
import { asNextSeesIt, inRequestScope } from "../support/next-request";

// The browser door, generated: every Server Action exported by a "use server" file under src/app, called as a
// signed-in browser would call it, with each class of invalid input. A Server Action is a public endpoint that
// takes anything: each call must resolve to a result the form can show (a 4xx code, field errors for bad
// fields) that React can send to the browser, never throw, and change nothing.

// Outside Next's server there is no cache to revalidate; a redirect would mean an invalid input was accepted.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const APP_DIR = path.resolve(import.meta.dirname, "../../src/app");
const ACTION_FILES = readdirSync(APP_DIR, { recursive: true, encoding: "utf8" }).filter((file) => path.basename(file) === "actions.ts");

type Action = (...args: unknown[]) => Promise<unknown>;

/** Actions that take no input but the workspace they act in: nothing to send them that could be invalid. */
const NO_INPUT = ["createInviteAction", "leaveWorkspaceAction", "signOutAction", "signOutOtherSessionsAction"];

/** An action's parameter names, from its source: "slug" is the workspace it acts in, the rest is input. */
function parameterNames(action: Action): string[] {
  const list = /^[^(]*\(([^)]*)\)/.exec(action.toString())?.[1] ?? "";
  return list
    .split(",")
    .map((name) => name.trim().replace(/[=\s].*$/, ""))
    .filter(Boolean);
}

async function discoverActions(): Promise<{ name: string; action: Action; parameters: string[] }[]> {
  const found: { name: string; action: Action; parameters: string[] }[] = [];
  for (const file of ACTION_FILES) {
    const actionModule = (await import(path.join(APP_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(actionModule)) {
      if (typeof value !== "function") continue;
      const action = value as Action;
      found.push({ name: `${path.dirname(file)}/${name}`, action, parameters: parameterNames(action) });
    }
  }
  return found;
}

/** Values a hostile or broken client can send for any argument. */
const HOSTILE: [string, unknown][] = [
  ["nothing", undefined],
  ["null", null],
  ["a number", 42],
  ["an empty string", ""],
  ["a huge string", "x".repeat(100_000)],
  ["an array", ["a", "b"]],
  ["an object with wrong field types", { name: 7, kind: "root", permissions: "all", owner: { id: 1 }, expiresAt: "soon", body: [] }],
  ["a prototype-polluting object", JSON.parse('{"__proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}, "name": ""}')],
  ["a too-long name", { name: "n".repeat(500), kind: "all" }],
  [
    "form data with bad fields",
    formData({ name: "", slug: "Bad Slug!!", currentPassword: "", newPassword: "x", password: "", confirmation: "nope" }),
  ],
  ["form data with a NUL character", formData({ name: "a\u0000b", slug: "a\u0000b" })],
];

function formData(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

/** React sends only plain data across the Server Action boundary: no null prototypes, classes or functions. */
function expectSerialisable(value: unknown, at = "result"): void {
  if (value === null || ["string", "number", "boolean", "undefined"].includes(typeof value)) return;
  if (Array.isArray(value)) return value.forEach((item, index) => expectSerialisable(item, `${at}[${index}]`));
  expect(typeof value, at).toBe("object");
  expect(Object.getPrototypeOf(value), `${at} is a plain object`).toBe(Object.prototype);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) expectSerialisable(item, `${at}.${key}`);
}

async function rowCounts() {
  const [keys, users, memberships, workspaces, invites] = await Promise.all([
    db.apiKey.count(),
    db.user.count(),
    db.membership.count(),
    db.workspace.count(),
    db.invite.count(),
  ]);
  return { keys, users, memberships, workspaces, invites };
}

describe("every Server Action refuses every class of invalid input with a result the form can show", async () => {
  const actions = await discoverActions();

  it("finds the actions of every page that has a form", () => {
    expect(actions.map((found) => found.name)).toEqual(
      expect.arrayContaining([
        "[workspace]/settings/api-keys/createApiKeyAction",
        "[workspace]/settings/general/updateWorkspaceAction",
        "[workspace]/settings/people/changeRoleAction",
        "account/changePasswordAction",
        "new/createWorkspaceAction",
      ]),
    );
  });

  it("takes input in every action but the ones listed as taking none", () => {
    for (const found of actions) {
      const inputs = found.parameters.filter((name) => name !== "slug");
      expect(inputs.length === 0, `${found.name}(${found.parameters.join(", ")})`).toBe(NO_INPUT.includes(found.name.split("/").pop()!));
    }
  });

  const cases = actions
    .filter((found) => !NO_INPUT.includes(found.name.split("/").pop()!))
    .flatMap((found) => HOSTILE.map(([label, value]) => ({ ...found, label, value })));

  it.each(cases)("$name with $label", async ({ action, parameters, value }) => {
    const team = await createTeam();
    const cookie = await sessionCookie(team.owner.user);
    // As Next's server hands it on (a Host header): without one Auth.js finds no session, and every action
    // would refuse as signed out, whatever its input.
    const request = asNextSeesIt(
      new Request(`${SAME_ORIGIN}/${team.workspace.slug}`, { method: "POST", headers: { cookie, origin: SAME_ORIGIN } }),
    );
    const before = await rowCounts();

    let result: unknown;
    await inRequestScope(request, async () => {
      // The signed-in owner's workspace where an action takes one; the hostile value everywhere else.
      result = await action(...parameters.map((name) => (name === "slug" ? team.workspace.slug : value)));
      return new Response(null);
    });

    expectSerialisable(result);
    const failure = result as { ok: boolean; code: keyof typeof ERRORS; message: string; fieldErrors?: Record<string, string[]> };
    expect(failure.ok).toBe(false);
    expect(failure.code, "the owner is signed in: the input is what was refused").not.toBe("unauthorized");
    expect(ERRORS[failure.code].status, failure.message).toBeGreaterThanOrEqual(400);
    expect(ERRORS[failure.code].status, failure.message).toBeLessThan(500);
    expect(failure.message.length).toBeGreaterThan(0);
    if (failure.code === "unprocessable_entity") expect(Object.keys(failure.fieldErrors ?? {}).length).toBeGreaterThan(0);
    expect(await rowCounts()).toEqual(before);
    expect((Object.prototype as Record<string, unknown>).admin, "Object.prototype polluted").toBeUndefined();
  });
});

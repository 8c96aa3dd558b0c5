import type { Locator, Page } from "@playwright/test";
import type { Role, World } from "./world";

// ONE list of the app's forms and pages, which the browser proofs are generated from (forms.spec.ts,
// pages.spec.ts), as tests/integration/authorization-matrix.test.ts is generated from the registry. A new
// form or page goes here and is then checked for lost input, crashes, overflow and accessibility like the rest.

export type InvalidClass = "empty" | "too long" | "too short" | "bad format" | "taken" | "wrong";

export interface InvalidCase {
  class: InvalidClass;
  /** Values typed into the form, by field label; fields not named get the form's valid value. */
  values: Record<string, string>;
  /**
   * Where the error shows: under a field (its label; the control is aria-invalid and described by the
   * message), or as the form's alert (sign-in never says which field was wrong).
   */
  error: { field: string } | { alert: RegExp };
}

export interface FormSpec {
  name: string;
  /** Who fills it in; "visitor" is signed out. */
  as: Role | "visitor";
  path: (world: World) => string;
  /** Opens the form when it is in a dialog; returns the dialog. */
  open?: (page: Page) => Promise<Locator>;
  /** Every field by its label, with a value that is valid on its own. */
  fields: Record<string, (world: World) => string>;
  submit: string;
  invalid: (world: World) => InvalidCase[];
  /** How its submit reaches the server, for counting requests: a Server Action or a JSON route. */
  request: "server action" | RegExp;
}

const LONG = (length: number) => "x".repeat(length);

/** Opens a dialog with the button of that name; a click before hydration does nothing, so it retries. */
export async function openDialog(page: Page, button: string | RegExp, scope?: Locator): Promise<Locator> {
  const dialog = page.getByRole("dialog");
  const opener = (scope ?? page).getByRole("button", { name: button }).first();
  for (let attempt = 0; attempt < 20 && !(await dialog.isVisible()); attempt++) {
    await opener.click();
    await dialog.waitFor({ state: "visible", timeout: 1_000 }).catch(() => undefined);
  }
  await dialog.waitFor({ state: "visible" });
  return dialog;
}

export const FORMS: FormSpec[] = [
  {
    name: "sign-up",
    as: "visitor",
    path: () => "/sign-up",
    fields: {
      Name: () => "Sam Signup",
      Email: () => `sam-${Math.random().toString(36).slice(2, 10)}@example.com`,
      Password: () => "a perfectly fine password",
    },
    submit: "Create account",
    request: /\/api\/account\/sign-up$/,
    invalid: (world): InvalidCase[] => [
      { class: "empty", values: { Name: "" }, error: { field: "Name" } },
      { class: "too long", values: { Name: LONG(101) }, error: { field: "Name" } },
      { class: "bad format", values: { Email: "not-an-email" }, error: { field: "Email" } },
      { class: "too short", values: { Password: "short" }, error: { field: "Password" } },
      { class: "taken", values: { Email: world.ownerEmail }, error: { field: "Email" } },
    ],
  },
  {
    name: "sign-in",
    as: "visitor",
    path: () => "/sign-in",
    fields: { Email: () => `nobody-${Math.random().toString(36).slice(2, 10)}@example.com`, Password: () => "a perfectly fine password" },
    submit: "Sign in",
    request: /\/api\/account\/sign-in$/,
    invalid: (): InvalidCase[] => [
      { class: "empty", values: { Email: "", Password: "" }, error: { alert: /incorrect|invalid|wrong/i } },
      { class: "wrong", values: {}, error: { alert: /incorrect|invalid|wrong/i } },
    ],
  },
  {
    name: "new workspace",
    as: "owner",
    path: () => "/new",
    fields: { Name: () => "Brand New", "Slug (optional)": () => `brand-new-${Math.random().toString(36).slice(2, 8)}` },
    submit: "Create workspace",
    request: "server action",
    invalid: (world): InvalidCase[] => [
      { class: "empty", values: { Name: "" }, error: { field: "Name" } },
      { class: "too long", values: { Name: LONG(65) }, error: { field: "Name" } },
      { class: "bad format", values: { "Slug (optional)": "Bad Slug!!" }, error: { field: "Slug (optional)" } },
      { class: "taken", values: { "Slug (optional)": world.slug }, error: { field: "Slug (optional)" } },
    ],
  },
  {
    name: "General settings",
    as: "owner",
    path: (world) => `/${world.slug}/settings/general`,
    fields: { Name: () => "Olga's workspace", Slug: (world) => world.slug },
    submit: "Save changes",
    request: "server action",
    invalid: (world): InvalidCase[] => [
      { class: "empty", values: { Name: "" }, error: { field: "Name" } },
      { class: "too long", values: { Name: LONG(65) }, error: { field: "Name" } },
      { class: "bad format", values: { Slug: "Bad Slug!!" }, error: { field: "Slug" } },
      { class: "taken", values: { Slug: world.otherSlug }, error: { field: "Slug" } },
    ],
  },
  {
    // No field to get wrong: it is here for the one-request-per-submit proof.
    name: "invite link",
    as: "owner",
    path: (world) => `/${world.slug}/settings/people`,
    fields: {},
    submit: "Create invite link",
    request: "server action",
    invalid: (): InvalidCase[] => [],
  },
  {
    name: "account password",
    as: "owner",
    path: () => "/account",
    fields: { "Current password": () => "correct horse battery staple", "New password": () => "a new and longer password" },
    submit: "Change password",
    request: "server action",
    invalid: (): InvalidCase[] => [
      // First a case the server refuses before checking the password: the double-click proof repeats the first
      // case, and every wrong password counts towards the account's lockout.
      { class: "too short", values: { "New password": "short" }, error: { field: "New password" } },
      { class: "empty", values: { "Current password": "" }, error: { field: "Current password" } },
      { class: "too long", values: { "New password": LONG(129) }, error: { field: "New password" } },
      { class: "wrong", values: { "Current password": "not my password at all" }, error: { field: "Current password" } },
    ],
  },
  {
    name: "account delete",
    as: "member",
    path: () => "/account",
    open: (page) => openDialog(page, "Delete account"),
    fields: { "Your email": (world) => world.memberEmail, Password: () => "correct horse battery staple" },
    submit: "Delete my account",
    request: "server action",
    invalid: (): InvalidCase[] => [
      { class: "empty", values: { "Your email": "" }, error: { field: "Your email" } },
      { class: "bad format", values: { "Your email": "someone-else@example.com" }, error: { field: "Your email" } },
      { class: "wrong", values: { Password: "not my password at all" }, error: { field: "Password" } },
    ],
  },
  {
    name: "API key create",
    as: "owner",
    path: (world) => `/${world.slug}/settings/api-keys`,
    open: (page) => openDialog(page, "Create API key"),
    fields: { Name: () => "Production server", "IP allowlist": () => "203.0.113.0/24\n2001:db8::/32" },
    submit: "Create",
    request: "server action",
    invalid: (): InvalidCase[] => [
      { class: "empty", values: { Name: "" }, error: { field: "Name" } },
      { class: "bad format", values: { "IP allowlist": "203.0.113.0/24\n203.0.113.300" }, error: { field: "IP allowlist" } },
    ],
  },
  {
    name: "API key edit",
    as: "owner",
    path: (world) => `/${world.slug}/settings/api-keys`,
    open: (page) => openDialog(page, /^Edit/),
    fields: { Name: () => "World key", "IP allowlist": () => "203.0.113.0/24" },
    submit: "Save",
    request: "server action",
    invalid: (): InvalidCase[] => [
      { class: "empty", values: { Name: "" }, error: { field: "Name" } },
      { class: "bad format", values: { "IP allowlist": "10.0.0.0/8, not-an-address" }, error: { field: "IP allowlist" } },
      {
        class: "too long",
        values: { "IP allowlist": Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`).join("\n") },
        error: { field: "IP allowlist" },
      },
    ],
  },
];

export interface PageSpec {
  name: string;
  path: (world: World) => string;
  /** Who sees it; a page for "visitor" is opened signed out. */
  as: (Role | "visitor")[];
  /** The page answers 404 by design. */
  notFound?: boolean;
  /**
   * A long page of repeated parts: axe checks these parts of it (the whole page is still checked for
   * overflow and console errors). The API reference repeats one operation component some forty times; axe
   * over all of it takes minutes.
   */
  axeScope?: string[];
}

const SIGNED_IN: Role[] = ["owner", "member"];

export const PAGES: PageSpec[] = [
  { name: "sign in", path: () => "/sign-in", as: ["visitor"] },
  { name: "sign up", path: () => "/sign-up", as: ["visitor"] },
  { name: "workspace home", path: (w) => `/${w.slug}`, as: SIGNED_IN },
  { name: "campaigns", path: (w) => `/${w.slug}/campaigns`, as: SIGNED_IN },
  { name: "domains", path: (w) => `/${w.slug}/domains`, as: SIGNED_IN },
  { name: "tags", path: (w) => `/${w.slug}/tags`, as: SIGNED_IN },
  { name: "API keys", path: (w) => `/${w.slug}/settings/api-keys`, as: SIGNED_IN },
  // The owner's key, with its usage chart and advice; the member sees it too, without the Restrict button.
  { name: "API key", path: (w) => `/${w.slug}/settings/api-keys/${w.keyId}`, as: SIGNED_IN },
  { name: "General", path: (w) => `/${w.slug}/settings/general`, as: SIGNED_IN },
  { name: "People", path: (w) => `/${w.slug}/settings/people`, as: SIGNED_IN },
  // Owners see the log (the world's: a key, invites, a member who joined); members are told it is the owners'.
  { name: "Audit log", path: (w) => `/${w.slug}/settings/audit-log`, as: SIGNED_IN },
  { name: "account", path: () => "/account", as: SIGNED_IN },
  { name: "new workspace", path: () => "/new", as: SIGNED_IN },
  {
    name: "API reference",
    path: () => "/docs/api",
    as: ["owner", "visitor"],
    axeScope: ["body > div > header", "aside", "main > :nth-child(-n+2)"],
  },
  { name: "invalid invite", path: () => "/invite/not-a-real-invite-token-at-all", as: ["visitor", "member"] },
  { name: "404 under a workspace", path: (w) => `/${w.slug}/nothing`, as: SIGNED_IN, notFound: true },
  { name: "404 of an unknown API key", path: (w) => `/${w.slug}/settings/api-keys/not-a-key`, as: SIGNED_IN, notFound: true },
  { name: "404 of an unknown workspace", path: () => "/nope/x", as: SIGNED_IN, notFound: true },
];

export interface DialogSpec {
  name: string;
  as: Role;
  path: (world: World) => string;
  open: (page: Page, world: World) => Promise<Locator>;
}

/** Every dialog, checked like a page (it must fit a phone too). */
export const DIALOGS: DialogSpec[] = [
  ...FORMS.filter(
    (form): form is FormSpec & { as: Role; open: NonNullable<FormSpec["open"]> } => Boolean(form.open) && form.as !== "visitor",
  ).map((form) => ({ name: form.name, as: form.as, path: form.path, open: (page: Page) => form.open(page) })),
  {
    name: "remove member",
    as: "owner",
    path: (w) => `/${w.slug}/settings/people`,
    open: (page, w) => openDialog(page, "Remove", page.getByTestId("person").filter({ hasText: w.memberName })),
  },
  { name: "revoke invite", as: "owner", path: (w) => `/${w.slug}/settings/people`, open: (page) => openDialog(page, "Revoke") },
  { name: "delete API key", as: "owner", path: (w) => `/${w.slug}/settings/api-keys`, open: (page) => openDialog(page, /^Delete/) },
  { name: "roll API key", as: "owner", path: (w) => `/${w.slug}/settings/api-keys`, open: (page) => openDialog(page, "Roll key…") },
  {
    name: "roll leaked API key",
    as: "owner",
    path: (w) => `/${w.slug}/settings/api-keys`,
    open: (page) => openDialog(page, "Roll key…", page.getByTestId("api-key").filter({ hasText: "Leaked key" })),
  },
  {
    name: "restrict API key",
    as: "owner",
    path: (w) => `/${w.slug}/settings/api-keys/${w.keyId}`,
    open: (page) => openDialog(page, "Restrict to what it uses"),
  },
  {
    name: "stop old API key",
    as: "owner",
    path: (w) => `/${w.slug}/settings/api-keys`,
    open: (page) => openDialog(page, "Stop the old key now"),
  },
];

import type { APIResponse } from "@playwright/test";
import { expect, PASSWORD, test, uniqueEmail } from "./fixtures";

// The production server behind an https proxy (which sends X-Forwarded-Proto: https and the public host) must
// set every cookie Secure, HttpOnly, SameSite=Lax, Path=/, with the __Secure- (or __Host-) prefix; on plain http
// (this test server, or `npm start` locally) the cookies cannot be Secure but stay HttpOnly and SameSite=Lax.
// Signing out clears the session cookie with the same name and flags.

interface SetCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; values as sent. */
  attributes: Map<string, string>;
}

function parseSetCookie(header: string): SetCookie {
  const [pair, ...attributes] = header.split(";").map((part) => part.trim());
  const separator = pair!.indexOf("=");
  return {
    name: pair!.slice(0, separator),
    value: pair!.slice(separator + 1),
    attributes: new Map(
      attributes.map((attribute) => {
        const [name, ...value] = attribute.split("=");
        return [name!.toLowerCase(), value.join("=")];
      }),
    ),
  };
}

function setCookiesOf(response: APIResponse): SetCookie[] {
  return response
    .headersArray()
    .filter((header) => header.name.toLowerCase() === "set-cookie")
    .map((header) => parseSetCookie(header.value));
}

const PROXIES = [
  {
    name: "behind an https proxy",
    // What a TLS-terminating proxy in front of the app sends, for the public host it serves.
    headers: { "x-forwarded-proto": "https", "x-forwarded-host": "heyoo.example" },
    origin: "https://heyoo.example",
    sessionCookie: "__Secure-authjs.session-token",
    secure: true,
  },
  { name: "on plain http", headers: {}, origin: undefined, sessionCookie: "authjs.session-token", secure: false },
] as const;

function expectFlags(cookie: SetCookie, secure: boolean) {
  const label = `${cookie.name}: ${[...cookie.attributes.keys()].join(", ")}`;
  expect(cookie.attributes.has("httponly"), label).toBe(true);
  expect(cookie.attributes.get("samesite")?.toLowerCase(), label).toBe("lax");
  expect(cookie.attributes.get("path"), label).toBe("/");
  expect(cookie.attributes.has("secure"), label).toBe(secure);
  // A cookie for one host only: no Domain that would hand it to sibling subdomains.
  expect(cookie.attributes.has("domain"), label).toBe(false);
  if (secure) expect(cookie.name, label).toMatch(/^__(Secure|Host)-/);
}

function isCleared(cookie: SetCookie): boolean {
  const expires = cookie.attributes.get("expires");
  return cookie.value === "" && (cookie.attributes.get("max-age") === "0" || (expires !== undefined && new Date(expires) <= new Date()));
}

for (const proxy of PROXIES) {
  test(`${proxy.name}, sign-up and sign-in set only HttpOnly, SameSite=Lax cookies${proxy.secure ? ", Secure with a __Secure- name" : ""}`, async ({
    playwright,
    baseURL,
  }) => {
    const origin = proxy.origin ?? baseURL!;
    const raw = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { ...proxy.headers, origin } });
    const email = uniqueEmail("cookie");

    const signUp = await raw.post("/api/account/sign-up", { data: { name: "Cookie Monster", email, password: PASSWORD } });
    expect(signUp.status(), await signUp.text()).toBe(201);
    const slug = ((await signUp.json()) as { redirectTo: string }).redirectTo.split("/")[1]!;
    const signIn = await raw.post("/api/account/sign-in", { data: { email, password: PASSWORD } });
    expect(signIn.status(), await signIn.text()).toBe(200);

    for (const [step, response] of [
      ["sign-up", signUp],
      ["sign-in", signIn],
    ] as const) {
      const cookies = setCookiesOf(response);
      expect(
        cookies.map((cookie) => cookie.name),
        step,
      ).toContain(proxy.sessionCookie);
      // Every cookie, not only the session's: Auth.js adds its callback-url cookie (no csrf cookie: the app's
      // own Origin check stands in for Auth.js's CSRF token on these JSON endpoints).
      for (const cookie of cookies) expectFlags(cookie, proxy.secure);
    }

    // The cookie opens the session it was set for, through the same proxy.
    const session = setCookiesOf(signIn).find((cookie) => cookie.name === proxy.sessionCookie)!;
    const me = await raw.get(`/api/v1/me?workspace=${slug}`, { headers: { cookie: `${session.name}=${session.value}` } });
    expect(me.status(), await me.text()).toBe(200);
    await raw.dispose();
  });

  test(`${proxy.name}, signing out clears the session cookie with the same flags`, async ({ baseURL, playwright }) => {
    const origin = proxy.origin ?? baseURL!;
    const signUpClient = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { ...proxy.headers, origin } });
    const email = uniqueEmail("signout");
    const signUp = await signUpClient.post("/api/account/sign-up", { data: { name: "Sam Signout", email, password: PASSWORD } });
    expect(signUp.status()).toBe(201);
    const slug = ((await signUp.json()) as { redirectTo: string }).redirectTo.split("/")[1]!;
    const session = setCookiesOf(signUp).find((cookie) => cookie.name === proxy.sessionCookie);
    expect(session, proxy.sessionCookie).toBeDefined();
    await signUpClient.dispose();

    // The "Sign out" button is a form posting a Server Action; this is what a browser sends for it (the form
    // works without JavaScript too), with only the session cookie, through the proxy.
    const cookie = `${session!.name}=${session!.value}`;
    const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { ...proxy.headers, cookie } });
    const page = await client.get(`/${slug}/settings/api-keys`, { maxRedirects: 0 });
    expect(page.status()).toBe(200);
    const action = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(await page.text())?.[1];
    expect(action, "the Sign out form's action").toBeDefined();
    const signOut = await client.post(`/${slug}/settings/api-keys`, { headers: { origin }, multipart: { [action!]: "" }, maxRedirects: 0 });
    expect(signOut.status()).toBe(303);
    expect(signOut.headers()["location"]).toContain("/sign-in");

    const cookies = setCookiesOf(signOut);
    const cleared = cookies.filter((entry) => entry.name === proxy.sessionCookie);
    expect(cleared.length, cookies.map((entry) => entry.name).join(", ")).toBeGreaterThan(0);
    for (const entry of cleared) expect(isCleared(entry), `${entry.name}=${entry.value}; ${[...entry.attributes].join("; ")}`).toBe(true);
    for (const entry of cookies) expectFlags(entry, proxy.secure);
    // And the server forgot the session: the old cookie opens nothing.
    const replay = await client.get(`/api/v1/me?workspace=${slug}`);
    expect(replay.status()).toBe(401);
    await client.dispose();
  });
}

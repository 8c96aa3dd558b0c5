import { expect, signUp, test } from "./fixtures";

test("pages carry a nonce-based CSP, refuse framing and are never cached; the app still runs under it", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  const csp = headers["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["strict-transport-security"]).toContain("max-age=");
  expect(headers["cache-control"]).toContain("no-store");

  // Hydrated React under the policy: the client-side form works and nothing was blocked.
  const { slug } = await signUp(page, "Csp Checker");
  await page.goto(`/${slug}/settings/people`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  await expect(page.getByLabel("Invite link")).toBeVisible();
  expect(errors.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
});

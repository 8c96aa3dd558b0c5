import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * Collects what the page's scripts log as errors and what they throw. The browser's own line for a fetch that
 * was answered 4xx ("Failed to load resource: … status of 422") is the network log, not a script error: a
 * refused sign-in is answered 401 by design.
 */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
  return { errors };
}

/** The page is no wider than the viewport: nothing makes a phone scroll sideways. */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
}

const SERIOUS = new Set(["moderate", "serious", "critical"]);

/** axe-core's violations of impact moderate or above, described one per line (rule, impact, where). */
export async function accessibilityViolations(page: Page, include: string[] = [], disableRules: string[] = []): Promise<string[]> {
  // Only violations are read: axe then skips building the details of every passing node, several times faster.
  let builder = new AxeBuilder({ page }).options({ resultTypes: ["violations"] });
  for (const selector of include) builder = builder.include(selector);
  if (disableRules.length) builder = builder.disableRules(disableRules);
  const { violations } = await builder.analyze();
  return violations
    .filter((violation) => SERIOUS.has(violation.impact ?? ""))
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}): ${node.target.join(" ")} — ${node.failureSummary?.split("\n").slice(0, 2).join(" ")}`,
      ),
    );
}

export const VIEWPORTS = [
  { name: "laptop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

export const SCHEMES = ["light", "dark"] as const;

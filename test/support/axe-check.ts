// WCAG 2.1 A/AA checks of a page with axe-core in the real browser, for the e2e specs.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/** The WCAG 2.1 levels the app is held to (A and AA, 2.0 and 2.1 success criteria). */
export const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface AxeFinding {
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** The WCAG 2.1 A/AA violations on the page as it is now, one entry per rule (with up to 5 elements). */
export async function wcagViolations(page: Page, label: string): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return result.violations.map((v) => ({
    page: label,
    rule: v.id,
    impact: v.impact ?? "unknown",
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`.trim()),
  }));
}

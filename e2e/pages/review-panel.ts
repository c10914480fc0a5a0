import { expect, type Locator } from "@playwright/test";
import { PageObject } from "./page-object";

/** The review panel beside the viewer: decisions, missed findings, impression, sign-off, amendment. */
export class ReviewPanel extends PageObject({
  root: "review-panel",
}) {
  decision(label: string, d: "agree" | "disagree"): Locator {
    return this.root.getByTestId(`decision-${label}-${d}`);
  }

  row(label: string): Locator {
    return this.root.getByTestId(`finding-row-${label}`);
  }

  async decide(label: string, d: "agree" | "disagree"): Promise<void> {
    await this.decision(label, d).click();
    await expect(this.row(label)).toHaveAttribute("data-decision", d);
  }

  /** Labels in the panel with the AI's call (data-positive). */
  async findings(): Promise<{ label: string; positive: boolean }[]> {
    return this.root.locator('[data-testid^="finding-row-"]').evaluateAll((els) =>
      els.map((e) => ({ label: e.getAttribute("data-testid")!.slice("finding-row-".length), positive: e.getAttribute("data-positive") === "true" })),
    );
  }

  /** Opens the bulk-agree dialog; returns it with how many model-positive findings it would confirm. */
  async openAgreeRemaining(): Promise<{ dialog: Locator; positives: number }> {
    await this.root.getByTestId("agree-remaining").click();
    const dialog = this.page.getByTestId("agree-remaining-dialog");
    await expect(dialog).toBeVisible();
    return { dialog, positives: Number(await dialog.getAttribute("data-positives")) };
  }

  /** Agrees with every undecided finding, confirming the dialog that says what that confirms. */
  async agreeRemaining(): Promise<void> {
    const { dialog } = await this.openAgreeRemaining();
    await dialog.getByTestId("agree-remaining-confirm").click();
    await expect(dialog).toHaveCount(0);
  }

  async overallResult(result: "normal" | "abnormal"): Promise<void> {
    await this.root.getByTestId(`overall-result-${result}`).check();
  }

  /** How many findings the form confirms as present (the overall result must then be abnormal). */
  async confirmedCount(): Promise<number> {
    return Number(await this.root.getByTestId("overall-result").getAttribute("data-confirmed"));
  }

  async impression(text: string): Promise<void> {
    await this.root.getByTestId("impression").fill(text);
  }

  /** Signs off; with no result given, records the one the confirmed findings call for. */
  async signOff(result?: "normal" | "abnormal"): Promise<void> {
    const chosen = await this.root.getByTestId("overall-result").getAttribute("data-value");
    if (result || !chosen) await this.overallResult(result ?? ((await this.confirmedCount()) > 0 ? "abnormal" : "normal"));
    await this.root.getByTestId("sign-off").click();
    await this.root.getByTestId("confirm-sign-off").click();
    await expect(this.root.getByTestId("signed-off-banner")).toBeVisible();
  }

  status(): Promise<string | null> {
    return this.root.getByTestId("review-status").getAttribute("data-status");
  }

  async amend(reason: string, impression: string): Promise<void> {
    await this.root.getByTestId("amend").click();
    await expect(this.root.getByTestId("submit-amendment")).toBeDisabled();
    await this.root.getByTestId("impression").fill(impression);
    await this.root.getByTestId("amend-reason").fill(reason);
    await this.root.getByTestId("submit-amendment").click();
    await expect(this.root).toHaveAttribute("data-mode", "view");
  }
}

import { expect } from "@playwright/test";
import { PageObject } from "./page-object";

/** The classifier choice on admin → System. */
export class ClassifierAdmin extends PageObject({
  form: "classifier-form",
  save: "classifier-save",
  message: "classifier-message",
}) {
  async goto(): Promise<void> {
    await this.visit("/admin/system", this.form);
  }

  async choose(kind: "densenet121" | "resnet50"): Promise<void> {
    await this.page.getByTestId(`classifier-option-${kind}`).check();
    await this.save.click();
    await expect(this.message).toContainText("Saved. The next analysis uses");
  }
}

import { expect, type Locator } from "@playwright/test";
import { PageObject } from "./page-object";
import type { StudyUpload } from "../support/studies";

/** The upload page: choose files, follow each one's state, read its error or open its result. */
export class UploadPage extends PageObject({
  dropzone: "upload-dropzone",
  input: "upload-input",
}) {
  async goto(): Promise<void> {
    await this.visit("/", this.dropzone);
  }

  /** Chooses the files as a person would in the file dialog (the same handler as a drop). */
  async upload(files: StudyUpload[]): Promise<void> {
    await this.input.setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType, buffer: f.buffer })));
  }

  /** The newest upload of that name: the list keeps the tab's earlier uploads, newest first. */
  item(fileName: string): Locator {
    return this.page.locator(`[data-testid="upload-item"][data-file-name="${fileName}"]`).first();
  }

  /** Waits until the file has finished (analysed or refused) and returns its final state. */
  async settled(fileName: string): Promise<"done" | "failed"> {
    const item = this.item(fileName);
    await expect(item).toHaveAttribute("data-state", /^(done|failed)$/, { timeout: 60_000 });
    return (await item.getAttribute("data-state")) as "done" | "failed";
  }

  /** The analysis id behind a finished file's result link. */
  async analysisId(fileName: string): Promise<string> {
    const href = await this.item(fileName).getByTestId("upload-result-link").getAttribute("href");
    const id = href?.match(/\/analyses\/([0-9a-f-]{36})$/)?.[1];
    if (!id) throw new Error(`no result link for ${fileName} (href ${href})`);
    return id;
  }

  error(fileName: string): Locator {
    return this.item(fileName).getByTestId("upload-error");
  }
}

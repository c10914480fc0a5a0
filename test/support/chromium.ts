// Debian's Chromium as every browser test launches it: the Playwright specs (playwright.config.ts) and
// the tests that drive a browser themselves (OHIF in lib/pacs/orthanc-loop.test.ts).
export const CHROMIUM_EXECUTABLE = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

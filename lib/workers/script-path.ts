import "server-only";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Worker scripts are plain .mjs files beside the module that starts them, so Node loads them directly in
// dev, tests, the CLI and production. Next's server bundle moves the calling module, so when the file is
// not beside it the copy in the source tree is used (the app is deployed with it and `next start` runs
// from the repository root).

/**
 * @param besideCaller `() => new URL("./x-worker.mjs", import.meta.url)`, written in the calling module
 * @param repoRelative the same file's path from the repository root
 */
export function workerScriptPath(besideCaller: () => URL, repoRelative: string): string {
  try {
    const url = besideCaller();
    if (url.protocol === "file:") {
      const p = fileURLToPath(url);
      if (fs.existsSync(p)) return p;
    }
  } catch {
    // import.meta.url is not a file URL inside the bundle: use the source tree
  }
  return path.resolve(process.cwd(), repoRelative);
}

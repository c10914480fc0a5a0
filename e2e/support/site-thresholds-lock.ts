// Site triage thresholds are global: specs that change them take this lock, so that two spec files
// running side by side never triage against each other's settings. A directory made with mkdir is
// atomic across the worker processes; it lives in the run's own data directory, so a crashed run
// leaves nothing behind for the next one.
import fs from "node:fs";
import path from "node:path";
import { e2eEnv } from "./e2e-env";

export async function lockSiteThresholds(waitMs = 240_000): Promise<() => void> {
  const dir = path.join(e2eEnv().dataDir, "site-thresholds.lock");
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() > deadline) throw new Error("another spec held the site thresholds lock for too long");
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

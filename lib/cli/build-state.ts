// Whether the production build in .next is older than the sources it was built from. Shared by
// `npm run setup` and the end-to-end test command, which must never test a stale build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// patches/: the build bundles patched dependencies (postgres.js), so a changed patch needs a new build.
const INPUT_DIRS = ["app", "components", "lib", "public", "patches"];
const INPUT_FILES = ["next.config.ts", "package-lock.json", "package.json", "tsconfig.json", "postcss.config.mjs"];
// Files that never reach the web app: tests, test helpers and command-line tools.
const IGNORED = /(\.test\.tsx?$)|(^lib\/(testing|cli)\/)|(\/testing\/)/;

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, rel);
    if (IGNORED.test(file.split(path.sep).join("/"))) continue;
    const stat = fs.statSync(file);
    if (stat.isFile() && stat.mtimeMs > newest) newest = stat.mtimeMs;
  }
  return newest;
}

export function buildId(): string | null {
  try {
    return fs.readFileSync(path.join(".next", "BUILD_ID"), "utf8").trim();
  } catch {
    return null;
  }
}

/** "missing", "stale" (a source changed after the build) or "fresh". */
export function buildState(): "missing" | "stale" | "fresh" {
  const marker = path.join(".next", "BUILD_ID");
  if (!fs.existsSync(marker)) return "missing";
  const builtAt = fs.statSync(marker).mtimeMs;
  const newestSource = Math.max(
    ...INPUT_DIRS.map(newestMtime),
    ...INPUT_FILES.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)),
  );
  return newestSource > builtAt ? "stale" : "fresh";
}

/**
 * Runs `npm run build`. The build is dated to when it started, so a source edited while it compiled
 * still makes it stale on the next check.
 */
export function runProductionBuild(): boolean {
  const started = new Date();
  const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (built.status !== 0) return false;
  fs.utimesSync(path.join(".next", "BUILD_ID"), started, started);
  return true;
}

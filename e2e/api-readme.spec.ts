// The README's API example, run exactly as written with real curl against the built app: the key comes
// from the operator command (`npm run apikey:create`) on the server's PostgreSQL database or, on the
// embedded one, which that command is refused while the app runs (as the README says), from the
// running app's admin route; the image is a chest film in the working directory, and the answer must
// be a stored analysis with its 18 findings.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { apiKeyFor } from "./support/admin-support";
import { studyImageBytes } from "./support/studies";
import { appDatabaseEnv, e2eEnv, type E2eEnv } from "./support/e2e-env";
import { seededUsers, signedInRequest } from "./support/users";

const START = "<!-- api-example:start -->";
const END = "<!-- api-example:end -->";

/** The shell lines between the markers, without the Markdown fence. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.resolve("README.md"), "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`README.md has no API example between "${START}" and "${END}".`);
  }
  const fenced = /```(?:sh|bash|shell)?\n([\s\S]*?)```/.exec(readme.slice(start + START.length, end));
  if (!fenced) throw new Error("The README's API example must be a fenced code block between the markers.");
  return fenced[1].trim();
}

const SCOPES = ["analyses:read", "analyses:write"];

function apikeyCreate(run: E2eEnv) {
  const args = ["run", "-s", "apikey:create", "--", "--email", seededUsers().radiologist.email, "--name", "README example", "--scopes", SCOPES.join(",")];
  return spawnSync("npm", args, { encoding: "utf8", env: { ...appDatabaseEnv(run), LOG_LEVEL: "warn" } });
}

/** The key as the README tells an operator to get it on this run's database. */
async function readmeKey(run: E2eEnv): Promise<string> {
  const cli = apikeyCreate(run);
  if (run.database === "postgres") {
    // The operator command, run beside the server, prints the key alone on stdout.
    expect(cli.status, cli.stderr).toBe(0);
    return cli.stdout.trim();
  }
  // The embedded database belongs to the running app: the command says so and changes nothing ...
  expect(cli.status).toBe(1);
  expect(cli.stderr).toContain("is in use by another process");
  expect(cli.stderr).toContain("Administration");
  // ... and the key is made in the app instead.
  const admin = await signedInRequest(seededUsers().admin);
  try {
    return await apiKeyFor(admin, seededUsers().radiologist.email, SCOPES);
  } finally {
    await admin.dispose();
  }
}

test("the README's curl example analyses an image with an API key made as the README says", { tag: "@postgres" }, async ({ baseURL }) => {
  const command = readmeExample();
  expect(command).toMatch(/^curl /);
  const key = await readmeKey(e2eEnv());
  expect(key).toMatch(/^cxr_[a-z0-9]{10}_[A-Za-z0-9_-]{32}$/);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cxr-readme-"));
  try {
    // The example names its file chest.png in the current directory.
    fs.writeFileSync(path.join(dir, "chest.png"), await studyImageBytes());
    const run = spawnSync("bash", ["-euo", "pipefail", "-c", command], {
      cwd: dir,
      encoding: "utf8",
      // Only what a person's shell would have, plus the two variables the README tells them to set.
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, CXR_KEY: key, CXR_URL: baseURL! } as unknown as NodeJS.ProcessEnv,
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const analysis = JSON.parse(run.stdout) as { id: string; status: string; fileName: string; findings: unknown[]; model: { trained: boolean } };
    expect(analysis).toMatchObject({ status: "completed", fileName: "chest.png", model: { trained: false } });
    expect(analysis.findings).toHaveLength(18);

    // It was stored: the API returns it by id.
    const stored = spawnSync("curl", ["-sS", "-H", `Authorization: Bearer ${key}`, `${baseURL}/api/v1/analyses/${analysis.id}`], { encoding: "utf8" });
    expect(JSON.parse(stored.stdout)).toMatchObject({ id: analysis.id, fileName: "chest.png" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

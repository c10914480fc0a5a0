// Runs one of the app's commands (a lib/cli script, or a test-support script) as its own process with
// the settings given, as an operator would: `npm run backup -- --out DIR` is `lib/cli/backup.ts --out DIR`.
import { execFile } from "node:child_process";
import path from "node:path";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAppCommand(script: string, args: string[], env: Record<string, string | undefined>): Promise<CommandResult> {
  const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_ENV: "production", LOG_LEVEL: "warn" };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, "--conditions=react-server", script, ...args], { env: merged, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

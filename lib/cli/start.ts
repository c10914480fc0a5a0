// `npm start`: serves the production build on PORT (default 3000). A thin wrapper around `next start`
// so the port comes from the validated env module, and a missing build or model gets a clear next step
// instead of a stack trace.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { env } from "@/lib/env";

const require = createRequire(import.meta.url);

if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
  process.stderr.write("No production build found. Run `npm run setup` first (it builds the app).\n");
  process.exit(1);
}
if (!fs.existsSync(path.join(env.MODEL_DIR, "model.json"))) {
  process.stderr.write(`warning: no model in ${env.MODEL_DIR}; uploads will fail until \`npm run setup\` installs one.\n`);
}

const nextBin = require.resolve("next/dist/bin/next");
const args = [nextBin, "start", "-p", String(env.PORT), ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: "inherit" });

// Stop the server with this process (Ctrl-C, a service manager's SIGTERM).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

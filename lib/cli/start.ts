// `npm start`: serves the production build on PORT (default 3000), optionally bound with `-H`. Checks
// the build and the model (a clear next step instead of a stack trace), takes the embedded database's
// lock, then runs the app's server (./serve.ts) in a process of its own.
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { acquireEmbeddedDatabase, EmbeddedDatabaseBusyError } from "@/lib/db/embedded-lock";
import { env } from "@/lib/env";
import { decideLocalUrl } from "./local-url";

const require = createRequire(import.meta.url);

if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
  process.stderr.write("No production build found. Run `npm run setup` first (it builds the app).\n");
  process.exit(1);
}
if (!fs.existsSync(path.join(env.MODEL_DIR, "model.json"))) {
  process.stderr.write(`warning: no model in ${env.MODEL_DIR}; uploads will fail until \`npm run setup\` installs one.\n`);
}

// Links for other people need an address: PUBLIC_URL, else this machine's when serving locally.
const { values: listen } = parseArgs({ options: { hostname: { type: "string", short: "H" } }, strict: false });
const links = decideLocalUrl({ publicUrl: env.PUBLIC_URL, hostname: typeof listen.hostname === "string" ? listen.hostname : undefined, port: env.PORT });
if (links.kind === "required") {
  process.stderr.write(`${links.message}\n`);
  process.exit(1);
}
if (links.kind === "local") {
  process.stdout.write(`PUBLIC_URL is not set: invitation and patient links will point at ${links.url} (set PUBLIC_URL when people open this app from other machines).\n`);
}

// On the embedded database this process holds the lock for the server it starts, so a second
// `npm start` or a writing command on the same DATA_DIR is refused before it touches the files.
let lockToken: string | undefined;
if (!env.DATABASE_URL) {
  try {
    lockToken = acquireEmbeddedDatabase("npm start");
  } catch (error) {
    if (!(error instanceof EmbeddedDatabaseBusyError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

// The server runs without this command's react-server condition: Next.js loads React both ways itself.
const serve = require.resolve("./serve.ts");
const args = ["--import", "tsx", serve, ...process.argv.slice(2)];
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  ...(lockToken ? { EMBEDDED_DB_LOCK_TOKEN: lockToken } : {}),
  ...(links.kind === "local" ? { LOCAL_URL: links.url } : {}),
};
const child = spawn(process.execPath, args, { stdio: "inherit", env: childEnv });

// Stop the server with this process (Ctrl-C, a service manager's SIGTERM).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

import "server-only";
import pino from "pino";
import { env } from "@/lib/env";
import type { SessionLogger } from "@/lib/inference/session";

// Shared by the model and analysis commands: logs go to stderr (stdout is reserved for results, e.g.
// the JSON of `npm run analyze`), and a failure prints one readable line and exits non-zero.

export const stderrLogger: SessionLogger = pino({ level: env.LOG_LEVEL, base: undefined }, pino.destination(2));

export class UsageError extends Error {}

/** The --help / -h flag every command takes (spread into its parseArgs options). */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/** Prints the usage when the command was asked for --help: then the command has nothing else to do. */
export function printedHelp(values: { help?: boolean }, usage: string): boolean {
  if (values.help) process.stdout.write(`${usage}\n`);
  return Boolean(values.help);
}

export async function runCli(usage: string, main: () => Promise<number | void>): Promise<void> {
  try {
    const code = await main();
    process.exitCode = code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${usage}\n`);
      process.exitCode = 2;
      return;
    }
    const e = err as Error & { code?: string };
    process.stderr.write(`error${e.code ? ` [${e.code}]` : ""}: ${e.message}\n`);
    if (env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace") process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  }
}

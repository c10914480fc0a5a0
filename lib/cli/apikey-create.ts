// `npm run apikey:create -- --email EMAIL --name NAME --scopes analyses:read,analyses:write [--expires-days N] [--rate-limit N]`
// For headless setups. The key alone goes to stdout (KEY=$(npm run -s apikey:create -- ...) captures
// it), everything meant for a person to stderr. The secret is printed once and never stored.
import { parseArgs } from "node:util";
import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { CreateApiKeyInput } from "@/lib/api-keys/input";
import { createApiKey } from "@/lib/api-keys/service";
import { apiScopes } from "@/lib/auth/principal";
import { closeDb } from "@/lib/db/client";
import { EmbeddedDatabaseBusyError } from "@/lib/db/embedded-lock";

const usage = `usage: npm run apikey:create -- --email EMAIL --name NAME --scopes ${apiScopes.join(",")} [--expires-days N] [--rate-limit REQUESTS_PER_MINUTE]`;

async function main(): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        scopes: { type: "string" },
        "expires-days": { type: "string" },
        "rate-limit": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const days = values["expires-days"];
  const parsed = CreateApiKeyInput.safeParse({
    ownerEmail: values.email ?? "",
    name: values.name ?? "",
    scopes: (values.scopes ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    expiresAt: days === undefined ? undefined : expiryFromDays(days),
    rateLimitPerMinute: values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]),
  });
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n")}\n${usage}`);
    return 2;
  }
  try {
    const { key, apiKey } = await createApiKey({ actor: null, via: "cli", input: parsed.data });
    console.error(
      `Created API key "${apiKey.name}" (${apiKey.prefix}) for ${apiKey.owner.email}, scopes ${apiKey.scopes.join(",")}` +
        `${apiKey.expiresAt ? `, expires ${apiKey.expiresAt}` : ", no expiry"}.\n` +
        "This is the only time the key is shown; store it now:",
    );
    console.log(key);
    return 0;
  } catch (error) {
    if (error instanceof AppError || error instanceof EmbeddedDatabaseBusyError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

function expiryFromDays(days: string): Date | string {
  const n = z.coerce.number().int().min(1).max(3650).safeParse(days);
  // An invalid number becomes an invalid date, which the schema reports.
  return n.success ? new Date(Date.now() + n.data * 86_400_000) : "not a date";
}

const code = await main().finally(closeDb);
process.exit(code);

import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, env } from "@/lib/env";

let cached: string | undefined;

/**
 * The key that signs session tokens: AUTH_SECRET when configured, else one generated once and kept in
 * DATA_DIR so that sessions survive restarts of a first-run install without any configuration.
 */
export function authSecret(): string {
  if (cached) return cached;
  if (env.AUTH_SECRET) return (cached = env.AUTH_SECRET);
  const file = path.join(dataDir, "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
    if (cached.length >= 32) return cached;
  } catch {
    // not created yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    cached = secret;
  } catch {
    // Another process created it first: use theirs so both sign with the same key.
    cached = fs.readFileSync(file, "utf8").trim();
  }
  return cached;
}

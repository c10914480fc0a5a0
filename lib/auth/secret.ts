import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir, env } from "@/lib/env";

const cached = new Map<string, string>();

/**
 * A server key: the configured value when set, else one generated once and kept in DATA_DIR/`fileName`
 * (mode 600), so a first-run install works without configuration and keeps its keys across restarts.
 */
export function persistedSecret(fileName: string, configured: string | undefined): string {
  if (configured) return configured;
  const known = cached.get(fileName);
  if (known) return known;
  const file = path.join(dataDir, fileName);
  try {
    const stored = fs.readFileSync(file, "utf8").trim();
    if (stored.length >= 32) {
      cached.set(fileName, stored);
      return stored;
    }
  } catch {
    // not created yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  let secret = crypto.randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
  } catch {
    // Another process created it first: use theirs so both use the same key.
    secret = fs.readFileSync(file, "utf8").trim();
  }
  cached.set(fileName, secret);
  return secret;
}

/** The key that signs session tokens (AUTH_SECRET, else DATA_DIR/auth-secret). */
export function authSecret(): string {
  return persistedSecret("auth-secret", env.AUTH_SECRET);
}

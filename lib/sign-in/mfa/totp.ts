import { Secret, TOTP } from "otpauth";

// RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30-second steps.
// A code of the step before or after the server's is accepted (clock drift and typing time); the caller
// stores the step it accepted and refuses that step and every earlier one afterwards, so no code works twice.

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = "CXR Assist";

function totpOf(base32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(base32) });
}

/** A new 160-bit key, base32 as authenticator apps take it typed. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI a QR code carries. */
export function totpUri(base32: string, account: string): string {
  return totpOf(base32, account).toString();
}

export const TOTP_CODE = /^\d{6}$/;

/** The time step a code belongs to when it is right now (±1 step), else null. */
export function matchingTotpStep(base32: string, code: string, now = Date.now()): number | null {
  if (!TOTP_CODE.test(code)) return null;
  const delta = totpOf(base32, "check").validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

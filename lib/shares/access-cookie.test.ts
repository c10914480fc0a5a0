import { describe, expect, it } from "vitest";
import { shareAccessFromCookieHeader, shareAccessSetCookie, signShareAccess, verifyShareAccess } from "./access-cookie";

describe("share access cookie", () => {
  const id = "4f0c7a4e-2b43-4a55-9a43-3c9a0f1d2e11";
  const now = Date.UTC(2025, 0, 1);

  it("lasts 12 hours at most, never past the share's own expiry, and only for its share", () => {
    const long = signShareAccess(id, new Date(now + 30 * 86_400_000), now);
    expect(long.maxAge).toBe(12 * 3600);
    expect(verifyShareAccess(long.value, id, now + 11 * 3600_000)).toBe(true);
    expect(verifyShareAccess(long.value, id, now + 12 * 3600_000)).toBe(false);
    expect(verifyShareAccess(long.value, "00000000-0000-4000-8000-000000000000", now)).toBe(false);
    const short = signShareAccess(id, new Date(now + 3600_000), now);
    expect(short.maxAge).toBe(3600);
    expect(verifyShareAccess(undefined, id, now)).toBe(false);
    expect(verifyShareAccess("garbage", id, now)).toBe(false);
    // A forged expiry breaks the signature.
    const [, mac] = long.value.split(".");
    expect(verifyShareAccess(`${Math.floor(now / 1000) + 99 * 86400}.${mac}`, id, now)).toBe(false);
  });

  it("is scoped to the link's path and readable back from a Cookie header", () => {
    const set = shareAccessSetCookie("tok", { value: "1.abc", maxAge: 60 });
    expect(set).toBe("cxr_share_access=1.abc; Path=/share/tok; Max-Age=60; HttpOnly; SameSite=Lax");
    expect(shareAccessFromCookieHeader("a=b; cxr_share_access=1.abc; c=d")).toBe("1.abc");
    expect(shareAccessFromCookieHeader(null)).toBeUndefined();
  });
});

"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { apiFetch } from "@/lib/api/browser-fetch";

/**
 * Ends the app's session and, for single sign-on, the identity provider's (RP-initiated logout): the
 * provider's sign-out address is fetched while this session still exists, then the session is ended.
 */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  async function onClick() {
    setBusy(true);
    const provider = await apiFetch<{ providerUrl: string | null }>("/api/account/sign-out", { method: "POST" }).catch(() => null);
    if (!provider?.providerUrl) {
      await signOut({ callbackUrl: "/sign-in" });
      return;
    }
    await signOut({ redirect: false });
    window.location.assign(provider.providerUrl);
  }
  return (
    <button
      type="button"
      disabled={busy}
      onClick={() => void onClick()}
      data-testid="sign-out"
      className="rounded-md border border-zinc-700 px-2.5 py-1 text-xs text-zinc-300 hover:border-zinc-500 hover:text-white"
    >
      Sign out
    </button>
  );
}

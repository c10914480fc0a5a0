"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";

/** Starts single sign-on through the identity provider (next-auth provider `oidc`). */
export function SsoButton({ name, returnTo = "/" }: { name: string; returnTo?: string }) {
  const [busy, setBusy] = useState(false);
  const ready = useHydrated();
  return (
    <button
      type="button"
      disabled={busy || !ready}
      onClick={() => {
        setBusy(true);
        void signIn("oidc", { callbackUrl: returnTo });
      }}
      data-testid="sign-in-sso"
      className="w-full rounded-md bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-500 disabled:opacity-60"
    >
      {busy ? "Opening sign-in…" : `Sign in with ${name}`}
    </button>
  );
}

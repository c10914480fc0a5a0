"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { MFA_INVALID, MFA_REQUIRED, signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";

/** `returnTo`: the page to open after signing in (a path checked by safeReturnPath). */
export function SignInForm({ returnTo = "/" }: { returnTo?: string }) {
  const router = useRouter();
  const { busy, error, run } = useSubmit();
  // Shown once the password was right for an account with a second factor (the server answers mfa_required).
  const [askCode, setAskCode] = useState(false);
  const ready = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get("code") ?? "").trim();
    await run(async () => {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        ...(askCode && code ? { code } : {}),
        redirect: false,
      });
      if (!result || result.error) {
        if (result?.error === MFA_REQUIRED || result?.error === MFA_INVALID) setAskCode(true);
        throw new Error(signInErrorMessage(result?.error));
      }
      router.replace(returnTo);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} method="post" className="space-y-4 rounded-xl border border-zinc-800 bg-zinc-900/60 p-6" data-testid="sign-in-form">
      <label className="block space-y-1">
        <span className="text-sm text-zinc-300">Email</span>
        <input
          name="email"
          type="email"
          autoComplete="username"
          required
          data-testid="sign-in-email"
          className="w-full rounded-md border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm outline-none focus:border-sky-500"
        />
      </label>
      <label className="block space-y-1">
        <span className="text-sm text-zinc-300">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="sign-in-password"
          className="w-full rounded-md border border-zinc-700 bg-zinc-950 px-3 py-2 text-sm outline-none focus:border-sky-500"
        />
      </label>
      {askCode && (
        <label className="block space-y-1">
          <span className="text-sm text-zinc-300">Authentication code</span>
          <input
            name="code"
            type="text"
            inputMode="text"
            autoComplete="one-time-code"
            autoFocus
            required
            maxLength={40}
            aria-describedby="sign-in-code-help"
            data-testid="sign-in-code"
            className="w-full rounded-md border border-zinc-700 bg-zinc-950 px-3 py-2 font-mono text-sm tracking-widest outline-none focus:border-sky-500"
          />
          <span id="sign-in-code-help" className="block text-xs text-zinc-400">
            The 6 digits from your authenticator app, or one of your recovery codes.
          </span>
        </label>
      )}
      {error && (
        <Alert tone={error === signInErrorMessage(MFA_REQUIRED) ? "info" : "danger"} testId="sign-in-error">
          {error}
        </Alert>
      )}
      <button
        type="submit"
        disabled={busy || !ready}
        data-testid="sign-in-submit"
        className="w-full rounded-md bg-sky-600 px-3 py-2 text-sm font-medium text-white hover:bg-sky-700 disabled:opacity-60"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

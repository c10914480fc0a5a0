"use client";

import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useSubmit } from "@/components/ui/use-submit";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { apiFetch } from "@/lib/api/browser-fetch";
import { Field, Input } from "@/components/ui/input";

/** `returnTo`: where to go once the password is changed (a path checked by safeReturnPath). */
export function ChangePasswordForm({ email, returnTo = "/" }: { email: string; returnTo?: string }) {
  const router = useRouter();
  const { busy, error, setError, run } = useSubmit();
  const ready = useHydrated();

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const newPassword = String(data.get("newPassword") ?? "");
    if (newPassword !== String(data.get("confirm") ?? "")) {
      setError("The two new passwords differ.");
      return;
    }
    await run(async () => {
      await apiFetch("/api/account/password", { method: "POST", json: { currentPassword: data.get("currentPassword"), newPassword } });
      // Every session of the account has ended, this one included: sign this one in again with the
      // new password, so the person carries on instead of meeting the sign-in form.
      const again = await signIn("credentials", { email, password: newPassword, redirect: false });
      if (!again?.ok || again.error) {
        await signOut({ callbackUrl: "/sign-in" });
        return;
      }
      router.replace(returnTo);
      router.refresh();
    }, { staysBusy: true });
  }

  return (
    <form
      method="post"
      className="space-y-3"
      data-testid="change-password-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <Field label="Current password">
        <Input name="currentPassword" type="password" required autoComplete="current-password" data-testid="current-password" />
      </Field>
      <Field label="New password (at least 12 characters)">
        <Input name="newPassword" type="password" minLength={12} maxLength={512} required autoComplete="new-password" data-testid="new-password" />
      </Field>
      <Field label="Repeat the new password">
        <Input name="confirm" type="password" minLength={12} maxLength={512} required autoComplete="new-password" data-testid="confirm-password" />
      </Field>
      {error && (
        <Alert tone="danger" testId="change-password-error">
          {error}
        </Alert>
      )}
      <button type="submit" disabled={busy || !ready} className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50" data-testid="change-password-submit">
        {busy ? "Saving…" : "Change password"}
      </button>
    </form>
  );
}

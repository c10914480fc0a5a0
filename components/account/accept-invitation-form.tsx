"use client";

import Link from "next/link";
import { useState, useSyncExternalStore } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import { Alert } from "@/components/ui/alert";
import { apiFetch } from "@/lib/api/browser-fetch";
import { Field, Input } from "@/components/ui/input";

const subscribeToHash = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};

// The token is in the URL fragment (#...), which the browser never sends to the server: it is read
// here and posted once with the chosen password.
export function AcceptInvitationForm() {
  // null while rendering on the server, where there is no fragment.
  const token = useSyncExternalStore(
    subscribeToHash,
    () => window.location.hash.slice(1),
    () => null,
  );
  const { busy, error, setError, run } = useSubmit();
  const [done, setDone] = useState<string | null>(null);

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const password = String(data.get("password") ?? "");
    if (password !== String(data.get("confirm") ?? "")) {
      setError("The two passwords differ.");
      return;
    }
    await run(async () => {
      const body = await apiFetch<{ email?: string }>("/api/invitations/accept", { method: "POST", json: { token, password } });
      // Drop the used token from the address bar and history.
      window.history.replaceState(null, "", window.location.pathname);
      setDone(body.email ?? "");
    });
  }

  if (token === null) return null;
  if (done !== null) {
    return (
      <div className="space-y-3" data-testid="invite-done">
        <p>Your password is set{done ? ` for ${done}` : ""}.</p>
        <Link href="/sign-in" className="inline-block rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white">
          Sign in
        </Link>
      </div>
    );
  }
  if (!token) {
    return <p className="text-sm text-amber-300">This page needs the whole link you received, including the part after “#”.</p>;
  }
  return (
    <form
      className="space-y-3"
      data-testid="invite-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <Field label="New password (at least 12 characters)">
        <Input name="password" type="password" minLength={12} maxLength={512} required autoComplete="new-password" data-testid="invite-password" />
      </Field>
      <Field label="Repeat it">
        <Input name="confirm" type="password" minLength={12} maxLength={512} required autoComplete="new-password" data-testid="invite-confirm" />
      </Field>
      {error && (
        <Alert tone="danger" testId="invite-error">
          {error}
        </Alert>
      )}
      <button type="submit" disabled={busy} className="rounded bg-sky-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50" data-testid="invite-submit">
        {busy ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}

"use client";

import { useState } from "react";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { Credential } from "./admin-api";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ROLE_LABELS, ROLES } from "@/lib/auth/roles";

interface Props {
  onCreated: (email: string, credential: Credential) => void;
}

export function CreateUserForm({ onCreated }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      const res = await apiFetch<{ user: { email: string }; credential: Credential }>("/api/admin/users", {
        method: "POST",
        json: { email: data.get("email"), name: data.get("name"), role: data.get("role"), method: data.get("method") },
      });
      form.reset();
      onCreated(res.user.email, res.credential);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const field = "rounded bg-zinc-900 px-2 py-1.5 text-sm ring-1 ring-zinc-700 focus:outline-none focus:ring-sky-500";
  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-md bg-zinc-900/60 p-3 ring-1 ring-zinc-800"
      data-testid="create-user-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <label className="flex flex-col gap-1 text-xs text-zinc-400">
        Email
        <input name="email" type="email" required className={field} data-testid="new-user-email" />
      </label>
      <label className="flex flex-col gap-1 text-xs text-zinc-400">
        Name
        <input name="name" className={field} data-testid="new-user-name" />
      </label>
      <label className="flex flex-col gap-1 text-xs text-zinc-400">
        Role
        <select name="role" defaultValue="radiologist" className={field} data-testid="new-user-role">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-zinc-400">
        First sign-in
        <select name="method" defaultValue="invitation" className={field} data-testid="new-user-method">
          <option value="invitation">Invitation link (they choose a password)</option>
          <option value="one_time_password">One-time password (must change it)</option>
        </select>
      </label>
      <Button type="submit" disabled={busy} data-testid="create-user-submit">
        {busy ? "Creating…" : "Create user"}
      </Button>
      {error && (
        <Alert tone="danger" testId="create-user-error" className="w-full">
          {error}
        </Alert>
      )}
    </form>
  );
}

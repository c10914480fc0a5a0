"use client";

import { useSubmit } from "@/components/ui/use-submit";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { Credential } from "./admin-api";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ROLE_LABELS, ROLES } from "@/lib/core/roles";
import { Field, Input, Select } from "@/components/ui/input";

interface Props {
  onCreated: (email: string, credential: Credential) => void;
}

export function CreateUserForm({ onCreated }: Props) {
  const { busy, error, run } = useSubmit();

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    await run(async () => {
      const res = await apiFetch<{ user: { email: string }; credential: Credential }>("/api/admin/users", {
        method: "POST",
        json: { email: data.get("email"), name: data.get("name"), role: data.get("role"), method: data.get("method") },
      });
      form.reset();
      onCreated(res.user.email, res.credential);
    });
  }

  return (
    <form
      className="flex flex-wrap items-end gap-3 rounded-md bg-zinc-900/60 p-3 ring-1 ring-zinc-800"
      data-testid="create-user-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e.currentTarget);
      }}
    >
      <Field label="Email" density="compact">
        <Input density="compact" name="email" type="email" required data-testid="new-user-email" />
      </Field>
      <Field label="Name" density="compact">
        <Input density="compact" name="name" data-testid="new-user-name" />
      </Field>
      <Field label="Role" density="compact">
        <Select density="compact" name="role" defaultValue="radiologist" data-testid="new-user-role">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="First sign-in" density="compact">
        <Select density="compact" name="method" defaultValue="invitation" data-testid="new-user-method">
          <option value="invitation">Invitation link (they choose a password)</option>
          <option value="one_time_password">One-time password (must change it)</option>
          <option value="sso">Single sign-on (identity provider)</option>
        </Select>
      </Field>
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

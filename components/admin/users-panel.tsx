"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/lib/api/browser-fetch";
import type { Credential } from "./admin-api";
import { CreateUserForm } from "./create-user-form";
import { LocalTime } from "@/components/ui/local-time";
import { SecretOnce } from "./secret-once";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { AdminTable } from "./admin-table";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/core/roles";

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  mustChangePassword: boolean;
  authMethod: "password" | "oidc";
  secondFactor: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

interface Shown {
  email: string;
  credential: Credential;
}

export function UsersPanel({ users, currentUserId }: { users: AdminUserRow[]; currentUserId: string }) {
  const router = useRouter();
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function act(id: string, fn: () => Promise<void>) {
    setBusyId(id);
    setError(null);
    try {
      await fn();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusyId(null);
    }
  }

  const update = (u: AdminUserRow, json: Record<string, unknown>) =>
    act(u.id, async () => {
      await apiFetch(`/api/admin/users/${u.id}`, { method: "PATCH", json });
    });

  const resetSecondFactor = (u: AdminUserRow) =>
    act(u.id, async () => {
      await apiFetch(`/api/admin/users/${u.id}/second-factor`, { method: "DELETE" });
    });

  const reset = (u: AdminUserRow, method: Credential["method"]) =>
    act(u.id, async () => {
      const res = await apiFetch<{ credential: Credential }>(`/api/admin/users/${u.id}/password`, { method: "POST", json: { method } });
      setShown({ email: u.email, credential: res.credential });
    });

  return (
    <div className="space-y-4">
      <CreateUserForm
        onCreated={(email, credential) => {
          setShown({ email, credential });
          router.refresh();
        }}
      />
      {shown?.credential.method === "sso" && (
        <Alert tone="info" testId="user-sso-created">
          {shown.email} signs in with single sign-on; the account is bound to them at their first sign-in.
        </Alert>
      )}
      {shown && shown.credential.method !== "sso" && (
        <SecretOnce
          label={
            shown.credential.method === "invitation"
              ? `Invitation link for ${shown.email} (valid until ${new Date(shown.credential.expiresAt).toLocaleDateString()}, works once):`
              : `One-time password for ${shown.email} (they must change it after signing in):`
          }
          value={shown.credential.method === "invitation" ? shown.credential.url : shown.credential.password}
          onDone={() => setShown(null)}
        />
      )}
      {error && (
        <Alert tone="danger" testId="users-error">
          {error}
        </Alert>
      )}
      <AdminTable testId="users-table" columns={["User", "Role", "Signs in with", "State", "Last sign-in", "Actions"]}>
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row" data-email={u.email} className={u.disabled ? "text-zinc-400" : undefined}>
            <td className="px-3 py-2">
              <div className="font-medium">{u.name || u.email}</div>
              {u.name && <div className="text-xs text-zinc-400">{u.email}</div>}
              {u.id === currentUserId && <span className="text-xs text-sky-300">you</span>}
            </td>
            <td className="px-3 py-2">
              <select
                aria-label={`Role of ${u.email}`}
                value={u.role}
                disabled={busyId === u.id}
                onChange={(e) => void update(u, { role: e.target.value })}
                className="rounded bg-zinc-900 px-2 py-1 ring-1 ring-zinc-700"
                data-testid="user-role"
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </td>
            <td className="px-3 py-2 text-xs" data-testid="user-auth-method" data-method={u.authMethod}>
              {u.authMethod === "oidc" ? "Single sign-on" : u.secondFactor ? "Password + authenticator" : "Password"}
            </td>
            <td className="px-3 py-2 text-xs">
              {u.disabled ? (
                <span className="text-red-300">Disabled</span>
              ) : u.authMethod === "oidc" ? (
                <span className="text-emerald-300">Active</span>
              ) : !u.hasPassword ? (
                <span className="text-amber-300">Invited, no password yet</span>
              ) : u.mustChangePassword ? (
                <span className="text-amber-300">Must change password</span>
              ) : (
                <span className="text-emerald-300">Active</span>
              )}
            </td>
            <td className="px-3 py-2 text-xs text-zinc-300">
              <LocalTime iso={u.lastSignInAt} empty="never" />
            </td>
            <td className="space-x-2 whitespace-nowrap px-3 py-2">
              <Button variant="secondary" size="sm" disabled={busyId === u.id} onClick={() => void update(u, { disabled: !u.disabled })} data-testid="user-toggle-disabled">
                {u.disabled ? "Enable" : "Disable"}
              </Button>
              {u.authMethod === "password" && (
                <>
                  <Button variant="secondary" size="sm" disabled={busyId === u.id} onClick={() => void reset(u, "invitation")} data-testid="user-reset-link">
                    Reset: link
                  </Button>
                  <Button variant="secondary" size="sm" disabled={busyId === u.id} onClick={() => void reset(u, "one_time_password")} data-testid="user-reset-otp">
                    Reset: one-time password
                  </Button>
                </>
              )}
              {u.secondFactor && (
                <Button variant="secondary" size="sm" disabled={busyId === u.id} onClick={() => void resetSecondFactor(u)} data-testid="user-reset-second-factor">
                  Reset second factor
                </Button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}

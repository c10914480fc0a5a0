"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSubmit } from "@/components/ui/use-submit";
import type { ApiKeyView } from "@/lib/api-keys/service";
import { apiFetch } from "@/lib/api/browser-fetch";
import { LocalTime } from "@/components/ui/local-time";
import { SecretOnce } from "./secret-once";
import { Alert } from "@/components/ui/alert";
import { AdminTable } from "./admin-table";
import { Button } from "@/components/ui/button";
import { KeyRateLimit } from "./key-rate-limit";
import { Field, Input, Select } from "@/components/ui/input";

// The service's view of a key, as the admin API returns it (a type-only import: no server code ships).
type AdminApiKeyRow = ApiKeyView;

interface Props {
  keys: AdminApiKeyRow[];
  /** Staff who may own a key. */
  owners: { email: string; label: string }[];
  scopes: { scope: string; description: string }[];
  /** RATE_LIMIT_PER_KEY: what a key without a limit of its own gets (0: none). */
  defaultRateLimit: number;
}

const statusStyle: Record<AdminApiKeyRow["status"], string> = {
  active: "text-emerald-300",
  expired: "text-amber-300",
  revoked: "text-red-300",
};

export function ApiKeysPanel({ keys, owners, scopes, defaultRateLimit }: Props) {
  const router = useRouter();
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const { busy, error, setError, run } = useSubmit();

  async function create(form: HTMLFormElement) {
    const data = new FormData(form);
    const expires = String(data.get("expires") ?? "");
    await run(async () => {
      const res = await apiFetch<{ key: string; apiKey: { name: string } }>("/api/admin/api-keys", {
        method: "POST",
        json: {
          ownerEmail: data.get("owner"),
          name: data.get("name"),
          scopes: data.getAll("scopes"),
          // End of the chosen day, in the admin's time zone.
          expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
        },
      });
      form.reset();
      setSecret({ name: res.apiKey.name, key: res.key });
      router.refresh();
    });
  }

  async function revoke(k: AdminApiKeyRow) {
    if (!window.confirm(`Revoke "${k.name}" (${k.prefix})? Systems using it stop working at once.`)) return;
    setError(null);
    try {
      await apiFetch(`/api/admin/api-keys/${k.id}`, { method: "DELETE" });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-4">
      <form
        className="flex flex-wrap items-end gap-3 rounded-md bg-zinc-900/60 p-3 ring-1 ring-zinc-800"
        data-testid="create-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void create(e.currentTarget);
        }}
      >
        <Field label="Name" density="compact">
          <Input density="compact" name="name" required maxLength={100} placeholder="e.g. PACS router" data-testid="key-name" />
        </Field>
        <Field label="Owner (the key sees what they see)" density="compact">
          <Select density="compact" name="owner" required data-testid="key-owner">
            {owners.map((o) => (
              <option key={o.email} value={o.email}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset className="flex flex-col gap-1 text-xs text-zinc-400">
          <legend>Scopes</legend>
          <div className="flex flex-wrap gap-3 pt-1">
            {scopes.map((s) => (
              <label key={s.scope} className="flex items-center gap-1 text-sm text-zinc-200" title={s.description}>
                <input type="checkbox" name="scopes" value={s.scope} defaultChecked={s.scope === "analyses:read"} data-testid={`key-scope-${s.scope}`} />
                <code>{s.scope}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Expires (optional)" density="compact">
          <Input density="compact" name="expires" type="date" data-testid="key-expires" />
        </Field>
        <Button type="submit" disabled={busy} data-testid="create-key-submit">
          {busy ? "Creating…" : "Create key"}
        </Button>
      </form>
      {secret && <SecretOnce label={`API key "${secret.name}":`} value={secret.key} onDone={() => setSecret(null)} />}
      {error && (
        <Alert tone="danger" testId="keys-error">
          {error}
        </Alert>
      )}
      <AdminTable testId="keys-table" columns={["Key", "Owner", "Scopes", "Expires", "Last used", "Requests/min", "State", ""]}>
        {keys.length === 0 && (
          <tr>
            <td colSpan={8} className="px-3 py-6 text-center text-zinc-500">
              No API keys yet.
            </td>
          </tr>
        )}
        {keys.map((k) => (
          <tr key={k.id} data-testid="key-row" data-prefix={k.prefix}>
            <td className="px-3 py-2">
              <div className="font-medium">{k.name}</div>
              <code className="text-xs text-zinc-400">{k.prefix}_…</code>
            </td>
            <td className="px-3 py-2 text-xs">{k.owner.email}</td>
            <td className="px-3 py-2 text-xs">
              {k.scopes.map((s) => (
                <code key={s} className="mr-1 rounded bg-zinc-800 px-1">
                  {s}
                </code>
              ))}
            </td>
            <td className="px-3 py-2 text-xs">
              <LocalTime iso={k.expiresAt} empty="never" />
            </td>
            <td className="px-3 py-2 text-xs">
              <LocalTime iso={k.lastUsedAt} empty="never" />
            </td>
            <td className="px-3 py-2 text-xs">
              {k.status === "active" ? (
                <KeyRateLimit keyId={k.id} value={k.rateLimitPerMinute} serverDefault={defaultRateLimit} run={run} busy={busy} />
              ) : (
                (k.rateLimitPerMinute ?? "default")
              )}
            </td>
            <td className={`px-3 py-2 text-xs ${statusStyle[k.status]}`} data-testid="key-status">
              {k.status}
            </td>
            <td className="px-3 py-2">
              {k.status !== "revoked" && (
                <Button variant="danger" size="sm" onClick={() => void revoke(k)} data-testid="key-revoke">
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}

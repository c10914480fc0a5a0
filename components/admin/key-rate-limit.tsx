"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/lib/api/browser-fetch";
import { Button } from "@/components/ui/button";

interface Props {
  keyId: string;
  /** The key's own limit; null: the server's default. */
  value: number | null;
  serverDefault: number;
  /** The panel's submit cycle (useSubmit): its error line shows what a save was refused for. */
  run: (action: () => Promise<unknown>) => Promise<boolean>;
  busy: boolean;
}

const describe = (limit: number) => (limit === 0 ? "no limit" : `${limit}/min`);

/** A key's requests-per-minute limit: empty for the server's default, 0 for none. */
export function KeyRateLimit({ keyId, value, serverDefault, run, busy }: Props) {
  const router = useRouter();
  const [text, setText] = useState(value === null ? "" : String(value));
  const changed = text.trim() !== (value === null ? "" : String(value));

  async function save() {
    const trimmed = text.trim();
    const rateLimitPerMinute = trimmed === "" ? null : Number(trimmed);
    await run(async () => {
      await apiFetch(`/api/admin/api-keys/${keyId}`, { method: "PATCH", json: { rateLimitPerMinute } });
      router.refresh();
    });
  }

  return (
    <form
      className="flex items-center gap-1"
      data-testid="key-rate-limit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        aria-label="Requests per minute"
        inputMode="numeric"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={`default (${describe(serverDefault)})`}
        className="w-28 rounded bg-zinc-900 px-2 py-1 text-xs ring-1 ring-zinc-700 focus:outline-none focus:ring-sky-500"
        data-testid="key-rate-limit-input"
      />
      {changed && (
        <Button type="submit" size="sm" disabled={busy} data-testid="key-rate-limit-save">
          Save
        </Button>
      )}
    </form>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/browser-fetch";

/** Sends a failed delivery to the PACS again; the system page then shows it as queued. */
export function RetryDeliveryButton({ analysisId, reviewVersion }: { analysisId: string; reviewVersion: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        variant="secondary"
        disabled={busy}
        data-testid="pacs-retry"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await apiFetch("/api/admin/pacs-deliveries/retry", { method: "POST", json: { analysisId, reviewVersion } });
            router.refresh();
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        Send again
      </Button>
      {error && <span className="text-red-300">{error}</span>}
    </span>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useSubmit } from "@/components/ui/use-submit";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/browser-fetch";

/** Sends a failed delivery to the PACS again; the system page then shows it as queued. */
export function RetryDeliveryButton({ analysisId, reviewVersion }: { analysisId: string; reviewVersion: number }) {
  const router = useRouter();
  const { busy, error, run } = useSubmit();
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        variant="secondary"
        disabled={busy}
        data-testid="pacs-retry"
        onClick={async () => {
          await run(async () => {
            await apiFetch("/api/admin/pacs-deliveries/retry", { method: "POST", json: { analysisId, reviewVersion } });
            router.refresh();
          });
        }}
      >
        Send again
      </Button>
      {error && <span className="text-red-300">{error}</span>}
    </span>
  );
}

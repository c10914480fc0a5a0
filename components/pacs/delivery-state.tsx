import type { DeliveryView } from "@/lib/pacs/delivery-status";

// Where this analysis's DICOM results stand with the PACS: one line per delivery (the first results,
// then the verified SR of each signed-off review version).

const utc = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "");

export function deliveryLine(d: DeliveryView): string {
  const what = d.reviewVersion === 0 ? "SR and heatmap captures" : `verified SR (review v${d.reviewVersion})`;
  if (d.status === "delivered") return `${what}: delivered ${utc(d.deliveredAt)}`;
  if (d.status === "failed") return `${what}: FAILED after ${d.attempts} attempts (${d.lastError ?? "unknown reason"})`;
  return d.attempts === 0
    ? `${what}: queued`
    : `${what}: retrying (attempt ${d.attempts} failed: ${d.lastError ?? "unknown reason"}); next ${utc(d.nextAttemptAt)}`;
}

export function PacsDeliveryState({ deliveries, target }: { deliveries: DeliveryView[]; target: string | null }) {
  if (deliveries.length === 0 && !target) return null;
  return (
    <div className="text-xs" data-testid="pacs-delivery">
      <h3 className="mb-1 font-semibold text-zinc-300">PACS delivery{target ? ` to ${target}` : ""}</h3>
      {deliveries.length === 0 ? (
        <p className="text-zinc-400">Nothing to send: only analyses of DICOM files send results to the PACS.</p>
      ) : (
        <ul className="space-y-0.5">
          {deliveries.map((d) => (
            <li key={d.reviewVersion} data-status={d.status} className={d.status === "failed" ? "text-red-300" : d.status === "pending" ? "text-amber-200" : "text-zinc-300"}>
              {deliveryLine(d)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

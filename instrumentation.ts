// Next.js calls register() once when a server process starts. The web process runs an analysis worker
// of its own unless WORKERS_IN_WEB=false (then `npm run worker` processes do the analysing), and sends
// results still owed to the PACS (DICOMWEB_RESULTS_URL) from before a restart.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebWorker } = await import("@/lib/queue/web-worker");
  startWebWorker();
  const { kickDeliveryWorker } = await import("@/lib/pacs/delivery-worker");
  kickDeliveryWorker();
}

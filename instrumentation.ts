// Next.js calls register() once when a server process starts. The web process runs an analysis worker
// of its own unless WORKERS_IN_WEB=false (then `npm run worker` processes do the analysing); the same
// workers send the results owed to the PACS (DICOMWEB_RESULTS_URL), queued jobs like the analyses.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebWorker } = await import("@/lib/jobs/web-worker");
  startWebWorker();
}

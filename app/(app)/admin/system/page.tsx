import { requireUser } from "@/lib/auth/guards";
import { systemInfo } from "@/lib/ops/system-info";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { deliveryLine } from "@/components/pacs/delivery-state";
import { RetryDeliveryButton } from "@/components/pacs/retry-delivery-button";
import { deliverySummary } from "@/lib/pacs/delivery-status";
import { precisionChoice } from "@/lib/inference/precision-choice";
import { publicUrlSetting } from "@/lib/api/public-url";
import { ClassifierForm } from "@/components/admin/classifier-form";
import { classifierSettingsView } from "@/lib/ops/classifier-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "System · Administration" };

function Row({ label, value, testId }: { label: React.ReactNode; value: React.ReactNode; testId?: string }) {
  return (
    <div className="flex justify-between gap-4 border-b border-zinc-800 py-1.5 last:border-0">
      <dt className="text-zinc-400">{label}</dt>
      <dd className="text-right font-medium" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function Card({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <section className="rounded-md bg-zinc-900/60 p-4 ring-1 ring-zinc-800" data-testid={testId}>
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      <dl className="text-sm">{children}</dl>
    </section>
  );
}

export default async function AdminSystemPage() {
  await requireUser(ADMIN_ROLES);
  const [s, pacs, classifier] = await Promise.all([systemInfo(), deliverySummary(), classifierSettingsView()]);
  const m = s.model;
  const p = precisionChoice();
  const cmp = p.agreement?.comparison ?? null;
  const worstAuc = cmp?.auc.reduce((w, a) => (Math.abs(a.difference) > Math.abs(w) ? a.difference : w), 0) ?? null;
  const minP = cmp?.auc.reduce((w, a) => (a.p !== null && a.p < w ? a.p : w), 1) ?? null;
  return (
    <div className="space-y-4" data-testid="admin-system-page">
      {m.trained === false && (
        <p role="alert" className="rounded-md border border-amber-500/70 bg-amber-950/50 p-3 text-sm text-amber-200" data-testid="system-untrained">
          The installed model is UNTRAINED (the offline demo): its findings mean nothing medically. Install the real model with
          <code className="mx-1">npm run model:fetch</code>.
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Model" testId="system-model">
          <Row label="Name" value={m.name ?? "none installed"} testId="system-model-name" />
          <Row label="Version" value={m.version ?? "—"} testId="system-model-version" />
          <Row label="Trained" value={m.trained === null ? "—" : m.trained ? "yes" : "no (demo)"} testId="system-model-trained" />
          <Row label="State" value={m.state} testId="system-model-state" />
          <Row label="Execution provider" value={m.provider ?? `${m.configuredProvider} (configured; the model loads with the first analysis)`} testId="system-model-provider" />
          {m.fallbackReason && <Row label="CUDA fallback" value={m.fallbackReason} />}
          <Row label="Directory" value={<code className="text-xs">{m.dir}</code>} />
        </Card>
        <section className="rounded-md bg-zinc-900/60 p-4 ring-1 ring-zinc-800" data-testid="system-classifier">
          <h2 className="mb-2 text-sm font-semibold">Classifier</h2>
          <ClassifierForm view={classifier} />
        </section>
        <Card title="Precision (float32 / int8)" testId="system-precision">
          <Row label="Serving" value={p.serving} testId="system-precision-serving" />
          <Row label="Site's choice (MODEL_PRECISION)" value={p.requested} testId="system-precision-requested" />
          {p.reason && <Row label="Why float32 serves" value={p.reason} testId="system-precision-reason" />}
          <Row label="int8 model (MODEL_INT8_DIR)" value={p.int8Dir ? <code className="text-xs">{p.int8Dir}</code> : "none installed (npm run model:quantize)"} />
          {p.agreement && cmp ? (
            <>
              <Row label="Compared" value={`${p.agreement.comparedAt.slice(0, 16).replace("T", " ")} UTC on ${cmp.films} films (${p.agreement.images.labelled} labelled)`} testId="system-precision-compared" />
              <Row label="Result" value={cmp.acceptable ? "passed" : "FAILED"} testId="system-precision-result" />
              <Row
                label={`Calibrated score |Δ| max / mean (limit ${cmp.limit})`}
                value={`${cmp.calibrated.maxAbsDifference.toFixed(3)} / ${cmp.calibrated.meanAbsDifference.toFixed(4)}`}
                testId="system-precision-delta"
              />
              <Row label="Calls / triage levels changed" value={`${cmp.changedCalls.length} / ${cmp.changedTriage.length}`} testId="system-precision-changes" />
              <Row label="Largest AUC difference (paired DeLong, smallest p)" value={`${worstAuc?.toFixed(3)} (p ${minP?.toFixed(3)})`} />
            </>
          ) : (
            <Row label="Comparison" value="none saved: npm run evaluate -- --model <fp32> --compare <int8> --save --labels FILE.csv FILES…" testId="system-precision-compared" />
          )}
        </Card>
        <Card title="Analysis queue" testId="system-queue">
          {s.queue ? (
            <>
              <Row label="Waiting" value={s.queue.waiting} testId="system-queue-waiting" />
              <Row label="Being analysed" value={s.queue.processing} testId="system-queue-processing" />
              <Row label="Oldest waiting" value={`${s.queue.oldestWaitingSeconds} s`} testId="system-queue-oldest" />
              <Row label="Refused beyond (QUEUE_MAX)" value={s.queue.max} testId="system-queue-max" />
              <Row label="Batch size / batches in flight per worker" value={`${s.queue.batch} / ${s.queue.concurrency}`} />
              <Row label="Workers attached" value={s.queue.workers.length} testId="system-queue-workers" />
              {s.queue.workers.map((w) => (
                <Row
                  key={w.id}
                  label={<span className="text-xs">{w.kind === "web" ? "in web process" : "worker process"} {w.hostname} ({w.id.slice(-6)})</span>}
                  value={<span data-testid="system-worker">{`${w.perSecond}/s, last batch ${w.lastBatchSize}, ${w.jobsDone} done`}</span>}
                />
              ))}
            </>
          ) : (
            <Row label="State" value="unknown (database unreachable)" />
          )}
        </Card>
        <Card title="Database" testId="system-database">
          <Row label="Kind" value={s.database.kind === "postgres" ? "PostgreSQL" : "Embedded PGlite"} testId="system-database-kind" />
          <Row label="Reachable" value={s.database.ok ? "yes" : "NO"} />
          <Row label="Users" value={s.counts.users} />
          <Row label="Active admins" value={s.counts.activeAdmins} />
          <Row label="Analyses" value={s.counts.analyses} />
          <Row label="Active API keys" value={s.counts.activeApiKeys} />
        </Card>
        <Card title="File storage" testId="system-storage">
          <Row label="Kind" value={s.storage.kind === "s3" ? "S3-compatible object storage" : "Local directory"} testId="system-storage-kind" />
          <Row label="Where" value={<code className="text-xs">{s.storage.where}</code>} />
        </Card>
        <Card title="Links for other people" testId="system-links">
          <Row
            label="Invitations and patient reports point at"
            value={(() => {
              const link = publicUrlSetting();
              return link.url ? `${link.url} (${link.source === "PUBLIC_URL" ? "PUBLIC_URL" : "this machine: set PUBLIC_URL for others"})` : `${link.source}: set PUBLIC_URL`;
            })()}
            testId="system-public-url"
          />
        </Card>
        <Card title="Limits and runtime" testId="system-limits">
          <Row label="Requests per minute per API key (unless set on the key)" value={s.limits.perKeyPerMinute || "unlimited"} />
          <Row label="Requests per minute per address" value={s.limits.perIpPerMinute || "unlimited"} />
          <Row label="Files per request" value={s.limits.maxFiles} />
          <Row label="File / request size" value={`${s.limits.maxUploadMb} MB / ${s.limits.maxRequestMb} MB`} />
          <Row label="Metrics scrape token" value={s.limits.metricsToken ? "set" : "not set (admins only)"} />
          <Row label="Node.js" value={s.runtime.node} />
          <Row label="Uptime" value={`${Math.floor(s.runtime.uptimeSeconds / 3600)} h ${Math.floor((s.runtime.uptimeSeconds % 3600) / 60)} min`} />
        </Card>
        <Card title="PACS delivery (STOW-RS)" testId="system-pacs">
          <Row label="Results sent to" value={pacs.target ?? "not configured (DICOMWEB_RESULTS_URL)"} testId="system-pacs-target" />
          <Row label="Delivered" value={pacs.counts.delivered} testId="system-pacs-delivered" />
          <Row label="Waiting or retrying" value={pacs.counts.pending} testId="system-pacs-pending" />
          <Row label="Failed (attempts spent)" value={pacs.counts.failed} testId="system-pacs-failed" />
          {pacs.outstanding.map((d) => (
            <Row
              key={`${d.analysisId}-${d.reviewVersion}`}
              label={<a className="underline" href={`/analyses/${d.analysisId}`}>analysis {d.analysisId.slice(0, 8)}</a>}
              value={
                <>
                  {deliveryLine(d)} {d.status === "failed" && <RetryDeliveryButton analysisId={d.analysisId} reviewVersion={d.reviewVersion} />}
                </>
              }
            />
          ))}
        </Card>
      </div>
    </div>
  );
}

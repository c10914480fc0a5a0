import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { PatientReport } from "@/components/share/patient-report";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit";
import { requireUser } from "@/lib/auth/guards";
import { hasDisplayImage } from "@/lib/reports/display-image";
import { loadReportData } from "@/lib/reports/report-data";
import { requireRecipientShare } from "@/lib/shares/recipient";

// The same plain-language report as a share link shows, for a signed-in patient it was addressed to.
export const dynamic = "force-dynamic";
export const metadata = { title: "Your chest X-ray report", robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function MyReportPage({ params }: { params: Promise<{ shareId: string }> }) {
  const user = await requireUser(["patient"]);
  const { shareId } = await params;
  const share = await requireRecipientShare(user, shareId).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const report = await loadReportData(share.analysisId);
  if (!report) notFound();
  await recordAudit({
    actor: user,
    action: "share.view",
    targetType: "share",
    targetId: share.id,
    details: { analysisId: share.analysisId, format: "page", via: "account" },
    headers: new Headers(await headers()),
  });
  const base = `/my-reports/${share.id}`;
  return (
    <div className="min-h-dvh bg-slate-50 text-slate-800" style={{ colorScheme: "light" }}>
      <PatientReport
      report={report}
      expiresAt={share.expiresAt}
      links={{
        image: (await hasDisplayImage(report.analysis.imageSha256)) ? `${base}/image.png` : null,
        heatmap: (position) => `${base}/heatmap/${position}`,
        pdf: `${base}/report.pdf`,
      }}
      />
    </div>
  );
}

import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { AccessCodeForm } from "@/components/share/access-code-form";
import { PatientReport } from "@/components/share/patient-report";
import { AppError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit";
import { hasDisplayImage } from "@/lib/reports/display-image";
import { loadReportData } from "@/lib/reports/report-data";
import { SHARE_ACCESS_COOKIE } from "@/lib/shares/access-cookie";
import { hasShareAccess, resolveShareToken } from "@/lib/shares/resolve";
import type { Share } from "@/lib/db/schema";

// The patient's report behind a share link. The token in the URL is the credential (only its hash is
// stored); nothing on this page links into the rest of the app. Every view is audited by share id.
export const dynamic = "force-dynamic";

async function shareOrExit(token: string): Promise<Share> {
  try {
    return await resolveShareToken(token);
  } catch (error) {
    if (error instanceof AppError && error.code === "gone") redirect("/share/expired");
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const share = await shareOrExit(token);
  if (!hasShareAccess(share, (await cookies()).get(SHARE_ACCESS_COOKIE)?.value)) {
    return <AccessCodeForm token={token} />;
  }
  const report = await loadReportData(share.analysisId);
  if (!report) notFound();

  await recordAudit({
    actor: null,
    action: "share.view",
    targetType: "share",
    targetId: share.id,
    details: { analysisId: share.analysisId, format: "page" },
    headers: new Headers(await headers()),
  });
  const base = `/share/${token}`;
  return (
    <PatientReport
      report={report}
      expiresAt={share.expiresAt}
      links={{
        image: (await hasDisplayImage(report.analysis.imageSha256)) ? `${base}/image.png` : null,
        heatmap: (position) => `${base}/heatmap/${position}`,
        pdf: `${base}/report.pdf`,
      }}
    />
  );
}

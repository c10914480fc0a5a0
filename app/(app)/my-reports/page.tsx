import Link from "next/link";
import { requireUser } from "@/lib/auth/guards";
import { listReportsForRecipient } from "@/lib/shares/recipient";
import { PATIENT_ROLES } from "@/lib/core/roles";
import { PageHeader } from "@/components/ui/page-header";

// A patient's own reports: every active share addressed to their account's email, and nothing else.
export const dynamic = "force-dynamic";
export const metadata = { title: "My reports", robots: { index: false, follow: false } };

const fmtDay = (iso: string) => new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(new Date(iso));
const studyDay = (v: string | null) => (v && /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}` : v);

export default async function MyReportsPage() {
  const user = await requireUser(PATIENT_ROLES);
  const reports = await listReportsForRecipient(user);
  return (
    <div className="mx-auto w-full max-w-2xl px-4 py-6">
      <PageHeader
        title="My reports"
        description="Chest X-ray reports your clinic has shared with you. Each one stays available until the date shown."
      />
      {reports.length === 0 ? (
        <p data-testid="my-reports-empty" className="mt-6 rounded-lg border border-zinc-800 bg-zinc-900 p-4 text-zinc-300">
          No reports have been shared with you yet.
        </p>
      ) : (
        <ul data-testid="my-reports" className="mt-6 space-y-3">
          {reports.map((r) => (
            <li key={r.shareId}>
              <Link
                href={`/my-reports/${r.shareId}`}
                data-testid="my-report"
                className="block rounded-lg border border-zinc-800 bg-zinc-900 p-4 hover:border-zinc-600"
              >
                <span className="font-medium text-zinc-100">
                  Chest X-ray{r.studyDate ? ` of ${studyDay(r.studyDate)}` : ""}
                </span>
                <span className="block text-sm text-zinc-400">
                  {r.signedOffAt ? `Reviewed ${fmtDay(r.signedOffAt)}. ` : ""}Available until {fmtDay(r.expiresAt)}.
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

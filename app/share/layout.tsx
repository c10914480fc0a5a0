import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { patientStrings } from "@/lib/reports/patient-strings";

// The patients' corner of the site: no app shell, no navigation, not indexed, no referrer sent on.
// (next.config.ts sends the same policies as HTTP headers for every /share/ response.)
export const metadata: Metadata = {
  title: patientStrings.pageTitle,
  robots: { index: false, follow: false, nocache: true, googleBot: { index: false, follow: false } },
  referrer: "no-referrer",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#f8fafc" };

export default function ShareLayout({ children }: { children: ReactNode }) {
  // The staff app is dark; a patient's report is light, calm and printable, form controls included.
  return (
    <div className="min-h-dvh bg-slate-50 text-slate-800" style={{ colorScheme: "light" }}>
      {children}
    </div>
  );
}

import { defineRoute } from "@/lib/api/route";
import { noticePage } from "@/lib/reports/notice-page";
import { patientStrings } from "@/lib/reports/patient-strings";

// Expired links are sent here by the share page, so the patient sees a calm explanation and the
// response carries 410 Gone (a page component cannot choose its status). The URL holds no token.
export const GET = defineRoute(
  { auth: "public" },
  () =>
    new Response(noticePage(patientStrings.expiredTitle, patientStrings.expiredBody), {
      status: 410,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "x-robots-tag": "noindex, nofollow",
      },
    }),
);

import { defineRoute } from "@/lib/api/route";
import { noticePage } from "@/lib/reports/notice-page";
import { patientStrings } from "@/lib/reports/patient-strings";

// Expired links, and links of erased reports (?removed), are sent here by the share page, so the
// patient sees a calm explanation and the response carries 410 Gone (a page component cannot choose
// its status). The URL holds no token.
export const GET = defineRoute(
  { auth: "public" },
  ({ req }) =>
    new Response(
      new URL(req.url).searchParams.has("removed")
        ? noticePage(patientStrings.removedTitle, patientStrings.removedBody)
        : noticePage(patientStrings.expiredTitle, patientStrings.expiredBody),
      {
      status: 410,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "x-robots-tag": "noindex, nofollow",
        },
      },
    ),
);

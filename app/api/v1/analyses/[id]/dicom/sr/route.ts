import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { v1Auth } from "@/lib/api/v1/route-support";
import { srDownload } from "@/lib/api/v1/dicom-download";

export const GET = defineRoute(v1Auth(v1Operations.getAnalysisDicomSr), ({ params, principal, req }) => srDownload(principal, params, req.headers));

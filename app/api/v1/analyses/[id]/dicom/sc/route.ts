import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { v1Auth } from "@/lib/api/v1/route-support";
import { DicomScQuery } from "@/lib/api/v1/schemas";
import { scDownload } from "@/lib/api/v1/dicom-download";

export const GET = defineRoute({ ...v1Auth(v1Operations.getAnalysisDicomSc), query: DicomScQuery }, ({ params, principal, query, req }) =>
  scDownload(principal, params, query.finding, req.headers),
);

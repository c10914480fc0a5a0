import { defineRoute } from "@/lib/api/route";
import { v1Operations } from "@/lib/api/v1/operations";
import { FhirBundle } from "@/lib/api/v1/schemas";
import { buildFhirBundle } from "@/lib/fhir/bundle";
import { auditReportExport, requireReport } from "@/lib/reports/report-media";
import { STAFF_ROLES } from "@/lib/core/roles";
import { uuidParam } from "@/lib/core/uuid-param";

/**
 * FHIR R4 Bundle (DiagnosticReport + one Observation per finding) of a signed-off analysis, for an API
 * key with reports:read or a signed-in radiologist. 404 until the review is signed off: an unsigned
 * analysis is not a report.
 */
export const GET = defineRoute(
  { auth: "any", roles: STAFF_ROLES, scopes: v1Operations.getAnalysisFhir.scopes, rateLimited: true },
  async ({ params, principal, req }) => {
    const report = await requireReport(uuidParam(params, "analysis"));
    const bundle = buildFhirBundle(report);
    await auditReportExport(principal, report, "fhir", req.headers);
    // Through the documented contract's outline (lib/api/v1/schemas.ts), like every v1 answer.
    return new Response(JSON.stringify(FhirBundle.parse(bundle)), {
      headers: { "content-type": "application/fhir+json; fhirVersion=4.0", "cache-control": "private, no-store" },
    });
  },
);

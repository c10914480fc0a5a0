import { z } from "zod";
import { AppError } from "@/lib/core/errors";
import { defineRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record";
import { STAFF_ROLES } from "@/lib/core/roles";
import { CHART_NAMES, chartCsv } from "@/lib/stats/charts";
import { StatsQuery } from "@/lib/stats/input";

/** The numbers behind one chart of the statistics page, as CSV. */
export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES, query: StatsQuery }, async ({ params, query, principal, req }) => {
  const chart = z.enum(CHART_NAMES).safeParse(params.chart);
  if (!chart.success) throw new AppError("not_found", `No chart "${params.chart}". Charts: ${CHART_NAMES.join(", ")}.`);
  const csv = await chartCsv(chart.data, { days: query.days, uploader: query.uploader });
  await recordAudit({
    actor: principal,
    action: "stats.export",
    targetType: "chart",
    targetId: chart.data,
    details: { days: query.days ?? null, uploader: query.uploader ?? null },
    headers: req.headers,
  });
  const suffix = query.days ? `last-${query.days}-days` : "all-time";
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="cxr-${chart.data}-${suffix}.csv"`,
      "cache-control": "no-store",
    },
  });
});

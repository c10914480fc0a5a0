import { z } from "zod";
import { listHistory } from "@/lib/analyses/queries";
import { analyseUploads } from "@/lib/analyses/upload";
import { requireInferenceRoom } from "@/lib/api/admission";
import { readUploadedFiles } from "@/lib/api/multipart";
import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/auth/roles";

/** Browser upload: one file per request (the page sends files in parallel to show progress per file). */
export const POST = defineRoute(
  {
    auth: "session",
    roles: STAFF_ROLES,
    rateLimited: true,
    before: requireInferenceRoom,
  },
  async ({ req, principal }) => {
    const files = await readUploadedFiles(req);
    const { created, failed } = await analyseUploads({ actor: principal, files, headers: req.headers, instance: new URL(req.url).pathname });
    return Response.json({ analyses: created, ...(failed.length ? { failed } : {}) }, { status: 201 });
  },
);

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const GET = defineRoute({ auth: "session", roles: STAFF_ROLES, query: ListQuery }, async ({ principal, query }) =>
  listHistory(principal, query.page, query.pageSize),
);

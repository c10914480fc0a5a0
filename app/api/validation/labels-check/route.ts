import { defineRoute } from "@/lib/api/route";
import { STAFF_ROLES } from "@/lib/core/roles";
import { checkLabelsForUpload } from "@/lib/validation/create-set";
import { CheckLabelsInput } from "@/lib/validation/input";

/** 200 when the labels file is valid and has a row for every image named; 422 saying what is wrong. Stores nothing. */
export const POST = defineRoute({ auth: "session", roles: STAFF_ROLES, body: CheckLabelsInput }, async ({ body }) =>
  checkLabelsForUpload(body.labelsCsv, body.fileNames),
);

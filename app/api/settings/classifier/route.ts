import { z } from "zod";
import { defineRoute } from "@/lib/api/route";
import { ADMIN_ROLES } from "@/lib/core/roles";
import { ClassifierKind } from "@/lib/inference/classifier-choice";
import { classifierSettingsView, updateClassifier } from "@/lib/ops/classifier-settings";

/** The site's findings classifier and the installed ones. */
export const GET = defineRoute({ auth: "session", roles: ADMIN_ROLES }, async () => classifierSettingsView());

/** Makes another installed classifier the site's: the next analysis uses it. */
export const PUT = defineRoute(
  { auth: "session", roles: ADMIN_ROLES, body: z.object({ classifier: ClassifierKind }) },
  async ({ body, principal, req }) => updateClassifier({ actor: principal, classifier: body.classifier, headers: req.headers }),
);

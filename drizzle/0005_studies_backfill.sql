-- Custom SQL migration file, put your code below! --
-- Analyses stored before studies existed: one study per Study Instance UID, and a study of its own for
-- each analysis without one (its id reuses the analysis id, which keeps the mapping a plain UPDATE).
-- Patient links cannot be recovered from stored rows (Patient ID was never kept), so these have none.
INSERT INTO "studies" ("study_instance_uid", "study_date", "created_at")
SELECT "study_instance_uid", min("study_date"), min("created_at") FROM "analyses"
WHERE "study_instance_uid" IS NOT NULL AND "study_id" IS NULL GROUP BY "study_instance_uid"
ON CONFLICT ("study_instance_uid") DO NOTHING;--> statement-breakpoint
UPDATE "analyses" SET "study_id" = s."id" FROM "studies" s
WHERE "analyses"."study_id" IS NULL AND "analyses"."study_instance_uid" = s."study_instance_uid";--> statement-breakpoint
INSERT INTO "studies" ("id", "study_date", "created_at")
SELECT "id", "study_date", "created_at" FROM "analyses" WHERE "study_id" IS NULL;--> statement-breakpoint
UPDATE "analyses" SET "study_id" = "id" WHERE "study_id" IS NULL;

CREATE TABLE "studies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_instance_uid" text,
	"patient_link" text,
	"study_date" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "studies_study_instance_uid_unique" UNIQUE("study_instance_uid")
);
--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "study_id" uuid;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "measurements" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "studies_patient_link_idx" ON "studies" USING btree ("patient_link","study_date");--> statement-breakpoint
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analyses_study_idx" ON "analyses" USING btree ("study_id");
CREATE TYPE "public"."anatomy_status" AS ENUM('queued', 'completed', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."analysis_purpose" AS ENUM('clinical', 'validation');--> statement-breakpoint
CREATE TABLE "analysis_anatomy" (
	"analysis_id" uuid PRIMARY KEY NOT NULL,
	"status" "anatomy_status" DEFAULT 'queued' NOT NULL,
	"reason" text,
	"summary" jsonb,
	"masks" "bytea",
	"model_name" text,
	"model_version" text,
	"model_trained" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "calibrated" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "purpose" "analysis_purpose" DEFAULT 'clinical' NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_anatomy" ADD CONSTRAINT "analysis_anatomy_analysis_id_analyses_id_fk" FOREIGN KEY ("analysis_id") REFERENCES "public"."analyses"("id") ON DELETE cascade ON UPDATE no action;
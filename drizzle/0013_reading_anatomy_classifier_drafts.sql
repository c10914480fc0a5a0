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
CREATE TABLE "review_drafts" (
	"analysis_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"content" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_drafts_analysis_id_user_id_pk" PRIMARY KEY("analysis_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "calibrated" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "purpose" "analysis_purpose" DEFAULT 'clinical' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "preferences" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "analysis_anatomy" ADD CONSTRAINT "analysis_anatomy_analysis_id_analyses_id_fk" FOREIGN KEY ("analysis_id") REFERENCES "public"."analyses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_drafts" ADD CONSTRAINT "review_drafts_analysis_id_analyses_id_fk" FOREIGN KEY ("analysis_id") REFERENCES "public"."analyses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_drafts" ADD CONSTRAINT "review_drafts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
CREATE TYPE "public"."validation_source" AS ENUM('upload', 'reviews');--> statement-breakpoint
CREATE TYPE "public"."validation_status" AS ENUM('processing', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "validation_cases" (
	"set_id" uuid NOT NULL,
	"analysis_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"truth" jsonb NOT NULL,
	CONSTRAINT "validation_cases_set_id_analysis_id_pk" PRIMARY KEY("set_id","analysis_id")
);
--> statement-breakpoint
CREATE TABLE "validation_results" (
	"set_id" uuid NOT NULL,
	"label" text NOT NULL,
	"position" integer NOT NULL,
	"n" integer NOT NULL,
	"positives" integer NOT NULL,
	"auc" double precision,
	"auc_low" double precision,
	"auc_high" double precision,
	"ece" double precision,
	"evaluation" jsonb NOT NULL,
	CONSTRAINT "validation_results_set_id_label_pk" PRIMARY KEY("set_id","label")
);
--> statement-breakpoint
CREATE TABLE "validation_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"source" "validation_source" NOT NULL,
	"status" "validation_status" DEFAULT 'processing' NOT NULL,
	"created_by" uuid NOT NULL,
	"period_from" text,
	"period_to" text,
	"labels" jsonb NOT NULL,
	"model_name" text,
	"model_version" text,
	"model_trained" boolean,
	"models" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"site_thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"summary" jsonb DEFAULT '{"cases":0,"analysed":0,"failed":0}'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "validation_cases" ADD CONSTRAINT "validation_cases_set_id_validation_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."validation_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_cases" ADD CONSTRAINT "validation_cases_analysis_id_analyses_id_fk" FOREIGN KEY ("analysis_id") REFERENCES "public"."analyses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_results" ADD CONSTRAINT "validation_results_set_id_validation_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."validation_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_sets" ADD CONSTRAINT "validation_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "validation_sets_created_at_idx" ON "validation_sets" USING btree ("created_at");
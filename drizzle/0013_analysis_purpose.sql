CREATE TYPE "public"."analysis_purpose" AS ENUM('clinical', 'validation');--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "purpose" "analysis_purpose" DEFAULT 'clinical' NOT NULL;
CREATE TYPE "public"."overall_result" AS ENUM('normal', 'abnormal');--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "overall_result" "overall_result";
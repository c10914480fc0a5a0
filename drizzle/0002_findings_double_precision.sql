ALTER TABLE "findings" ALTER COLUMN "logit" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "probability" SET DATA TYPE double precision;--> statement-breakpoint
ALTER TABLE "findings" ALTER COLUMN "calibrated" SET DATA TYPE double precision;
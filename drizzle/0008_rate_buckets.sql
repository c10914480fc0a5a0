CREATE TABLE "rate_buckets" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"tat" double precision NOT NULL,
	"interval_ms" double precision NOT NULL,
	CONSTRAINT "rate_buckets_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_per_minute" integer;--> statement-breakpoint
CREATE INDEX "rate_buckets_tat_idx" ON "rate_buckets" USING btree ("tat");
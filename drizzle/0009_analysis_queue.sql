ALTER TYPE "public"."analysis_status" ADD VALUE 'queued' BEFORE 'processing';--> statement-breakpoint
CREATE TABLE "queue_workers" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone,
	"jobs_done" integer DEFAULT 0 NOT NULL,
	"batches" integer DEFAULT 0 NOT NULL,
	"last_batch_size" integer DEFAULT 0 NOT NULL,
	"per_second" real DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "idempotency_owner" text;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "idempotency_index" integer;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "worker_id" text;--> statement-breakpoint
CREATE INDEX "analyses_status_created_idx" ON "analyses" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "analyses_idempotency_idx" ON "analyses" USING btree ("idempotency_owner","idempotency_key","idempotency_index");
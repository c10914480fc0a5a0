ALTER TABLE "analysis_cams" ADD COLUMN "data_float64" bytea;--> statement-breakpoint
UPDATE "analysis_cams" c SET "data_float64" = coalesce((SELECT string_agg(float8send(e.v::float8), ''::bytea ORDER BY e.i) FROM jsonb_array_elements_text(c."data") WITH ORDINALITY AS e(v, i)), ''::bytea);--> statement-breakpoint
ALTER TABLE "analysis_cams" DROP COLUMN "data";--> statement-breakpoint
ALTER TABLE "analysis_cams" RENAME COLUMN "data_float64" TO "data";--> statement-breakpoint
ALTER TABLE "analysis_cams" ALTER COLUMN "data" SET NOT NULL;

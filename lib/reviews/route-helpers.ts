import { z } from "zod";
import { AppError } from "@/lib/api/errors";

/** A malformed id is answered like an unknown one: 404, and never reaches PostgreSQL's uuid cast. */
export function analysisIdParam(params: Record<string, string>): string {
  const parsed = z.uuid().safeParse(params.id);
  if (!parsed.success) throw new AppError("not_found", "No such analysis.");
  return parsed.data;
}

import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/core/errors";

/**
 * For pages (server components): a missing or hidden resource renders the 404 page, the same answer
 * as the API's not_found; any other error propagates to the error boundary.
 */
export function notFoundOnMissing(error: unknown): never {
  if (error instanceof AppError && error.code === "not_found") notFound();
  throw error;
}

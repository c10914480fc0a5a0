import { expect } from "vitest";
import { AppError } from "@/lib/core/errors";

/** The AppError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function appErrorOf(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

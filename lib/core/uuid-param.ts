import { z } from "zod";
import { AppError } from "@/lib/core/errors";

/**
 * The one id check at the edges: path parameters (uuidParam, isUuid) and the zod schemas of bodies and
 * queries all use it, so an id is accepted or refused alike wherever it arrives. Refused in a path it is
 * a 404 (it cannot name a row, and handing it to PostgreSQL's uuid cast would raise a 500); refused in a
 * body or query it is a 400 naming the field.
 */
export const Uuid = z.uuid();

export function isUuid(value: unknown): value is string {
  return Uuid.safeParse(value).success;
}

/** The route parameter `name` as a UUID, or a 404 "No such <what>." */
export function uuidParam(params: Record<string, string>, what: string, name = "id"): string {
  const value = params[name];
  if (!isUuid(value)) throw new AppError("not_found", `No such ${what}.`);
  return value;
}

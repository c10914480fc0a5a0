import { AppError } from "@/lib/core/errors";

// Ids arrive from URLs. Anything that is not a UUID cannot name a row, and handing it to PostgreSQL's
// uuid cast would raise a type error (a 500) instead of the 404 a person should see, so a malformed
// id is answered exactly like an unknown one.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** The route parameter `name` as a UUID, or a 404 "No such <what>." */
export function uuidParam(params: Record<string, string>, what: string, name = "id"): string {
  const value = params[name];
  if (!isUuid(value)) throw new AppError("not_found", `No such ${what}.`);
  return value;
}

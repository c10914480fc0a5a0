// Ids arrive from URLs; anything that is not a UUID cannot name a row, and asking PostgreSQL about it
// would raise a type error (a 500) instead of the 404 a person should see.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

import "server-only";

/**
 * Runs statements of one transaction issued at once, so that postgres.js sends them together (one
 * socket write, one round trip) and the server runs them in the order given. Every one is waited for
 * before this returns, so that none is still under way when the transaction is rolled back; what is
 * thrown is the first failure in that order (the ones after it only failed because the transaction
 * was already aborted).
 */
export async function together<T extends readonly PromiseLike<unknown>[]>(statements: [...T]): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(statements);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as { [K in keyof T]: Awaited<T[K]> };
}

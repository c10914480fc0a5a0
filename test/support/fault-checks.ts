// What both fault tests check of a deployment they hit: their own database reads ride out the faults,
// every refusal is a well-formed 503, and all accepted work ends finished.
import { expect } from "@playwright/test";
import type postgres from "postgres";
import { isDatabaseUnavailable } from "../../lib/db/errors";
import type { UploadAnswer } from "./upload-with-retries";

/** A check of the test's own on the deployment's database, asked again while the faults hit it too. */
export async function askThroughFaults<T>(query: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await query();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** No answer was a server error but a 503, and every 503 said when to come back, as problem+json. */
export function expectOnlyWellFormedRefusals(answers: readonly UploadAnswer[]): void {
  expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
  for (const a of answers.filter((x) => x.status === 503)) {
    expect(a.retryAfter, "a 503 carries Retry-After").toMatch(/^\d+$/);
    expect(a.contentType).toContain("application/problem+json");
  }
}

/** Waits until no analysis is queued or processing, or the deadline passes; asserts the former. */
export async function expectAllAnalysesFinish(sql: postgres.Sql, deadline: number): Promise<void> {
  let pending = Number.POSITIVE_INFINITY;
  while (Date.now() < deadline) {
    const [{ n }] = await askThroughFaults(() => sql<{ n: number }[]>`select count(*)::int as n from analyses where status in ('queued', 'processing')`);
    pending = n;
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(pending, "analyses still queued or processing").toBe(0);
}

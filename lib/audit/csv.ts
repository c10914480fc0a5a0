import "server-only";
import { errorSummary, logger } from "@/lib/log";
import { queryAudit, type AuditRow } from "./query";
import type { AuditFilters } from "./input";

// The audit log as CSV (RFC 4180), streamed page by page so a large export never sits in memory.
// Cells a spreadsheet would run as a formula are prefixed with a quote: user agents and details come
// from outside.

const MAX_ROWS = 200_000;
const PAGE = 1_000;

function cell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  const text = typeof v === "string" && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const columns: [string, (r: AuditRow) => string | number | null][] = [
  ["id", (r) => r.id],
  ["at", (r) => r.at],
  ["action", (r) => r.action],
  ["actor_email", (r) => r.actorEmail],
  ["actor_user_id", (r) => r.actorUserId],
  ["api_key", (r) => r.apiKeyPrefix],
  ["target_type", (r) => r.targetType],
  ["target_id", (r) => r.targetId],
  ["ip", (r) => r.ip],
  ["user_agent", (r) => r.userAgent],
  ["details", (r) => (Object.keys(r.details).length ? JSON.stringify(r.details) : "")],
];

export function auditCsvLine(r: AuditRow): string {
  return columns.map(([, get]) => cell(get(r))).join(",") + "\r\n";
}

export const auditCsvHeader = columns.map(([h]) => h).join(",") + "\r\n";

export function auditCsvStream(filters: Omit<AuditFilters, "limit" | "before">): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: number | undefined;
  let sent = 0;
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(auditCsvHeader));
      }
      let page: Awaited<ReturnType<typeof queryAudit>>;
      try {
        page = await queryAudit({ ...filters, before, limit: Math.min(PAGE, MAX_ROWS - sent) });
      } catch (error) {
        // The filters were validated before the first byte; what fails now is the database. Logged as
        // a code (a query error's message holds the SQL and its values), and the download is cut off.
        logger.error({ err: errorSummary(error) }, "audit export failed");
        controller.error(new Error("audit export failed"));
        return;
      }
      const { rows, nextBefore } = page;
      if (rows.length) controller.enqueue(encoder.encode(rows.map(auditCsvLine).join("")));
      sent += rows.length;
      if (nextBefore === null || sent >= MAX_ROWS) controller.close();
      else before = nextBefore;
    },
  });
}

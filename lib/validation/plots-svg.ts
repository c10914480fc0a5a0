// ROC and calibration plots as standalone SVG, for files (`npm run evaluate -- --out`, rendered to PNG)
// and the PDF summary. The app draws the same data with recharts. Pure string building.
import type { FindingEvaluation } from "./evaluate";

const SIZE = 420;
const PAD = { left: 56, right: 16, top: 40, bottom: 48 };
const W = SIZE - PAD.left - PAD.right;
const H = SIZE - PAD.top - PAD.bottom;
const x = (v: number) => PAD.left + v * W;
const y = (v: number) => PAD.top + (1 - v) * H;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (v: number) => v.toFixed(1);

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map(
      (t) =>
        `<line x1="${f(x(t))}" y1="${f(y(0))}" x2="${f(x(t))}" y2="${f(y(1))}" stroke="#e5e7eb"/>` +
        `<line x1="${f(x(0))}" y1="${f(y(t))}" x2="${f(x(1))}" y2="${f(y(t))}" stroke="#e5e7eb"/>` +
        `<text x="${f(x(t))}" y="${f(y(0) + 16)}" text-anchor="middle">${t.toFixed(1)}</text>` +
        `<text x="${f(x(0) - 8)}" y="${f(y(t) + 4)}" text-anchor="end">${t.toFixed(1)}</text>`,
    )
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#374151">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${SIZE / 2}" y="22" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>` +
    ticks +
    `<rect x="${x(0)}" y="${y(1)}" width="${W}" height="${H}" fill="none" stroke="#6b7280"/>` +
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#9ca3af" stroke-dasharray="4 4"/>` +
    `<text x="${SIZE / 2}" y="${SIZE - 10}" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text transform="translate(14 ${SIZE / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>` +
    body +
    `</svg>`
  );
}

export const OPERATING_POINT_STYLE = [
  { key: "operatingPoint", name: "Model operating point", colour: "#2563eb" },
  { key: "siteThreshold", name: "Site threshold", colour: "#d97706" },
  { key: "sensitivity90", name: "90% sensitivity", colour: "#059669" },
  { key: "sensitivity95", name: "95% sensitivity", colour: "#db2777" },
] as const;

export function rocSvg(e: FindingEvaluation, title = e.label.replaceAll("_", " ")): string {
  const auc = e.auc === null ? "AUC n/a (one class missing)" : `AUC ${e.auc.toFixed(3)}${e.aucCi ? ` (${e.aucCi[0].toFixed(3)}–${e.aucCi[1].toFixed(3)})` : ""}`;
  const path = e.roc.map((p, i) => `${i ? "L" : "M"}${f(x(p.fpr))} ${f(y(p.tpr))}`).join(" ");
  let body = path ? `<path d="${path}" fill="none" stroke="#111827" stroke-width="2"/>` : "";
  OPERATING_POINT_STYLE.forEach((s, i) => {
    const c = e[s.key];
    if (!c || c.sensitivity === null || c.specificity === null) return;
    body += `<circle cx="${f(x(1 - c.specificity))}" cy="${f(y(c.sensitivity))}" r="5" fill="${s.colour}" stroke="#fff"/>`;
    body += `<circle cx="${x(0.5)}" cy="${f(y(0.32 - i * 0.07) - 4)}" r="4" fill="${s.colour}"/>`;
    body += `<text x="${x(0.5) + 8}" y="${f(y(0.32 - i * 0.07))}">${esc(`${s.name} (${c.threshold.toFixed(3)})`)}</text>`;
  });
  body += `<text x="${x(0.5) + 8}" y="${f(y(0.39))}" font-weight="bold">${esc(auc)}</text>`;
  return frame(`ROC: ${title}`, "1 − specificity", "Sensitivity", body);
}

export function calibrationSvg(e: FindingEvaluation, title = e.label.replaceAll("_", " ")): string {
  const bins = e.calibration.bins.filter((b) => b.count > 0);
  const max = Math.max(1, ...bins.map((b) => b.count));
  const path = bins.map((b, i) => `${i ? "L" : "M"}${f(x(b.meanPredicted!))} ${f(y(b.observedRate!))}`).join(" ");
  let body = path ? `<path d="${path}" fill="none" stroke="#111827" stroke-width="1.5"/>` : "";
  for (const b of bins) {
    body += `<circle cx="${f(x(b.meanPredicted!))}" cy="${f(y(b.observedRate!))}" r="${f(3 + 5 * Math.sqrt(b.count / max))}" fill="#2563eb" fill-opacity="0.7"/>`;
  }
  const ece = e.calibration.ece === null ? "no labelled cases" : `ECE ${e.calibration.ece.toFixed(3)} (n = ${e.n})`;
  body += `<text x="${x(0.05)}" y="${f(y(0.92))}" font-weight="bold">${esc(ece)}</text>`;
  return frame(`Calibration: ${title}`, "Mean predicted probability", "Observed rate", body);
}

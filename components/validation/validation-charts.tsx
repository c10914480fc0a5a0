"use client";
// The ROC curve (with the operating points marked) and the calibration plot of one finding (recharts).
import type { ReactNode } from "react";
import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import type { FindingEvaluation } from "@/lib/validation/evaluate";
import { OPERATING_POINT_STYLE } from "@/lib/validation/plots-svg";

const axis = { stroke: "#71717a", fontSize: 11, tickLine: false, type: "number" as const, domain: [0, 1] as [number, number], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] };
const tooltip = {
  contentStyle: { background: "#18181b", border: "1px solid #3f3f46", borderRadius: 6, fontSize: 12, color: "#e4e4e7" },
  labelStyle: { color: "#a1a1aa" },
};
const diagonal = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];
const fmt = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : String(v));

/** The frame both plots share: both axes from 0 to 1 with their labels, grid, tooltip and legend. */
function UnitSquareChart({ testId, xLabel, yLabel, children }: { testId: string; xLabel: string; yLabel: string; children: ReactNode }) {
  return (
    <div data-testid={testId}>
      <ResponsiveContainer width="100%" height={300}>
        <ComposedChart margin={{ left: -8, right: 12, top: 8 }}>
          <CartesianGrid stroke="#27272a" strokeDasharray="3 3" />
          <XAxis dataKey="x" {...axis} label={{ value: xLabel, position: "insideBottom", offset: -2, fill: "#a1a1aa", fontSize: 11 }} height={36} />
          <YAxis dataKey="y" {...axis} label={{ value: yLabel, angle: -90, position: "insideLeft", offset: 16, fill: "#a1a1aa", fontSize: 11 }} />
          <Tooltip {...tooltip} formatter={fmt} labelFormatter={() => ""} />
          <Legend wrapperStyle={{ fontSize: 11, paddingTop: 10 }} />
          {children}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export function RocChart({ finding, pickedThreshold }: { finding: FindingEvaluation; pickedThreshold?: { sensitivity: number | null; specificity: number | null } | null }) {
  if (finding.roc.length === 0) return <p className="flex h-64 items-center justify-center text-xs text-zinc-500">No ROC curve: the set has only one class for this finding.</p>;
  const curve = finding.roc.map((p) => ({ x: p.fpr, y: p.tpr }));
  const marks = OPERATING_POINT_STYLE.flatMap((s) => {
    const c = finding[s.key];
    return c && c.sensitivity !== null && c.specificity !== null ? [{ ...s, data: [{ x: 1 - c.specificity, y: c.sensitivity }] }] : [];
  });
  return (
    <UnitSquareChart testId="roc-chart" xLabel="1 − specificity" yLabel="Sensitivity">
      <Line data={diagonal} dataKey="y" stroke="#52525b" strokeDasharray="4 4" dot={false} name="Chance" isAnimationActive={false} legendType="none" />
      <Line data={curve} dataKey="y" stroke="#e4e4e7" strokeWidth={2} dot={false} type="linear" name="ROC" isAnimationActive={false} />
      {marks.map((m) => (
        <Scatter key={m.key} data={m.data} dataKey="y" fill={m.colour} name={m.name} isAnimationActive={false} />
      ))}
      {pickedThreshold && pickedThreshold.sensitivity !== null && pickedThreshold.specificity !== null && (
        <Scatter data={[{ x: 1 - pickedThreshold.specificity, y: pickedThreshold.sensitivity }]} dataKey="y" fill="#a78bfa" shape="diamond" name="Picked" isAnimationActive={false} />
      )}
    </UnitSquareChart>
  );
}

export function CalibrationChart({ finding }: { finding: FindingEvaluation }) {
  const bins = finding.calibration.bins.filter((b) => b.count > 0).map((b) => ({ x: b.meanPredicted!, y: b.observedRate!, count: b.count }));
  if (bins.length === 0) return <p className="flex h-64 items-center justify-center text-xs text-zinc-500">No labelled cases.</p>;
  return (
    <UnitSquareChart testId="calibration-chart" xLabel="Mean predicted probability" yLabel="Observed rate">
      <Line data={diagonal} dataKey="y" stroke="#52525b" strokeDasharray="4 4" dot={false} name="Perfect calibration" isAnimationActive={false} />
      <Line data={bins} dataKey="y" stroke="#38bdf8" dot={{ r: 4, fill: "#38bdf8" }} name="Observed (10 bins)" isAnimationActive={false} />
    </UnitSquareChart>
  );
}

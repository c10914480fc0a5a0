"use client";
// The statistics charts (recharts). Each takes exactly the rows its CSV holds.
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AgreementRow } from "@/lib/stats/agreement";
import type { PrevalenceRow, ProcessingRow, TriageMixRow, VolumeRow } from "@/lib/stats/queries";
import { TRIAGE_LABEL } from "@/lib/triage/rules";

const axis = { stroke: "#71717a", fontSize: 11, tickLine: false };
const grid = <CartesianGrid stroke="#27272a" strokeDasharray="3 3" vertical={false} />;
const tooltip = {
  contentStyle: { background: "#18181b", border: "1px solid #3f3f46", borderRadius: 6, fontSize: 12, color: "#e4e4e7" },
  labelStyle: { color: "#a1a1aa" },
  cursor: { fill: "rgba(255,255,255,0.04)" },
};
const Empty = ({ text = "No data in this period." }: { text?: string }) => (
  <div className="flex h-56 items-center justify-center text-xs text-zinc-500">{text}</div>
);

export function VolumeChart({ rows }: { rows: VolumeRow[] }) {
  if (rows.length === 0) return <Empty />;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={rows} margin={{ left: -16, right: 8 }}>
        {grid}
        <XAxis dataKey="day" {...axis} tickFormatter={(d: string) => d.slice(5)} minTickGap={16} />
        <YAxis {...axis} allowDecimals={false} />
        <Tooltip {...tooltip} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="completed" name="Completed" stackId="v" fill="#38bdf8" isAnimationActive={false} />
        <Bar dataKey="failed" name="Failed" stackId="v" fill="#f43f5e" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

const triageColour: Record<string, string> = { critical: "#dc2626", abnormal: "#fbbf24", normal: "#059669", not_assessable: "#71717a" };

export function TriageMixChart({ rows }: { rows: TriageMixRow[] }) {
  const total = rows.reduce((a, r) => a + r.count, 0);
  if (total === 0) return <Empty />;
  const data = rows.map((r) => ({ ...r, name: TRIAGE_LABEL[r.level] }));
  return (
    <div className="flex flex-wrap items-center gap-4">
      <ResponsiveContainer width="55%" height={220} minWidth={180}>
        <PieChart>
          <Pie data={data} dataKey="count" nameKey="name" innerRadius="55%" outerRadius="85%" paddingAngle={1} stroke="#18181b" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.level} fill={triageColour[d.level]} />
            ))}
          </Pie>
          <Tooltip {...tooltip} />
        </PieChart>
      </ResponsiveContainer>
      <ul className="space-y-1 text-xs text-zinc-300">
        {data.map((d) => (
          <li key={d.level} className="flex items-center gap-2" data-testid={`triage-mix-${d.level}`}>
            <span className="h-2.5 w-2.5 rounded-sm" style={{ background: triageColour[d.level] }} />
            <span className="w-28">{d.name}</span>
            <span className="font-mono">{d.count}</span>
            <span className="font-mono text-zinc-500">{Math.round((d.count / total) * 100)}%</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PrevalenceChart({ rows }: { rows: PrevalenceRow[] }) {
  if (rows.length === 0) return <Empty />;
  const data = rows.map((r) => ({ ...r, name: r.label.replaceAll("_", " "), pct: Math.round(r.rate * 1000) / 10 }));
  return (
    <ResponsiveContainer width="100%" height={Math.max(220, data.length * 20 + 30)}>
      <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16 }}>
        {grid}
        <XAxis type="number" {...axis} domain={[0, 100]} unit="%" />
        <YAxis type="category" dataKey="name" {...axis} width={150} interval={0} />
        <Tooltip {...tooltip} formatter={(v) => [`${v}%`, "Called positive"]} />
        <Bar dataKey="pct" fill="#a78bfa" radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function ProcessingChart({ rows }: { rows: ProcessingRow[] }) {
  if (rows.every((r) => r.count === 0)) return <Empty />;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={rows} margin={{ left: -16, right: 8 }}>
        {grid}
        <XAxis dataKey="bucket" {...axis} interval={0} angle={-25} textAnchor="end" height={50} />
        <YAxis {...axis} allowDecimals={false} />
        <Tooltip {...tooltip} />
        <Bar dataKey="count" name="Studies" fill="#34d399" radius={[3, 3, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function AgreementChart({ rows }: { rows: AgreementRow[] }) {
  const data = rows
    .filter((r) => r.n > 0)
    .map((r) => ({
      name: r.label.replaceAll("_", " "),
      sensitivity: r.sensitivity === null ? null : r.sensitivity * 100,
      specificity: r.specificity === null ? null : r.specificity * 100,
      // ErrorBar takes distances below and above the value.
      sensErr: r.sensitivity === null || !r.sensitivityCi ? [0, 0] : [(r.sensitivity - r.sensitivityCi[0]) * 100, (r.sensitivityCi[1] - r.sensitivity) * 100],
      specErr: r.specificity === null || !r.specificityCi ? [0, 0] : [(r.specificity - r.specificityCi[0]) * 100, (r.specificityCi[1] - r.specificity) * 100],
    }));
  if (data.length === 0) return <Empty text="No signed-off reviews in this period yet." />;
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={data} margin={{ left: -16, right: 8 }}>
        {grid}
        <XAxis dataKey="name" {...axis} interval={0} angle={-30} textAnchor="end" height={95} />
        <YAxis {...axis} domain={[0, 100]} unit="%" />
        <Tooltip {...tooltip} formatter={(v) => (typeof v === "number" ? `${v.toFixed(0)}%` : "—")} />
        <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" />
        <Bar dataKey="sensitivity" name="Sensitivity" fill="#38bdf8" isAnimationActive={false}>
          <ErrorBar dataKey="sensErr" width={3} stroke="#e4e4e7" />
        </Bar>
        <Bar dataKey="specificity" name="Specificity" fill="#f59e0b" isAnimationActive={false}>
          <ErrorBar dataKey="specErr" width={3} stroke="#e4e4e7" />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

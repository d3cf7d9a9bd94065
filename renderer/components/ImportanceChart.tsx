/** Feature importance as horizontal bars (recharts): the top 20, with "show all" on demand. */
import { useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { useChartColors } from './chart-palette.js';
import { formatPercent } from './format.js';
import { useElementWidth } from './useElementWidth.js';

export interface ImportanceDatum {
  feature: string;
  importance: number;
}

export const TOP_FEATURES = 20;

export function ImportanceChart({ data, testId }: { data: ImportanceDatum[]; testId?: string }) {
  const [all, setAll] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 560);
  const colors = useChartColors();
  const shown = useMemo(() => (all ? data : data.slice(0, TOP_FEATURES)), [data, all]);
  const total = data.reduce((a, d) => a + d.importance, 0) || 1;
  const longest = shown.reduce((m, d) => Math.max(m, d.feature.length), 0);
  const yWidth = Math.min(230, Math.max(80, longest * 6.8 + 12));
  const rowH = 20;
  const height = Math.max(80, shown.length * rowH + 30);

  function TooltipBody({ active, payload }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    const d = payload[0]!.payload as ImportanceDatum;
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name">{d.feature}</div>
        <div className="chart-tooltip-value">{formatPercent(d.importance / total)} of the total importance</div>
      </div>
    );
  }

  return (
    <figure className="importance-chart" data-testid={testId} aria-label="Feature importance" data-shown={shown.length}>
      <div ref={wrapRef} className="chart-canvas importance-canvas" aria-hidden="true">
        <BarChart width={width} height={height} data={shown} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 4 }} barCategoryGap={3} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke={colors.grid} />
          <XAxis type="number" domain={[0, 'auto']} tickFormatter={(v: number) => formatPercent(v / total)} tick={{ fill: colors.axis, fontSize: 11 }} axisLine={{ stroke: colors.grid }} tickLine={false} />
          <YAxis type="category" dataKey="feature" width={yWidth} interval={0} tick={{ fill: colors.label, fontSize: 11 }} axisLine={false} tickLine={false} />
          <Tooltip content={TooltipBody} cursor={{ fill: colors.cursor, stroke: 'none' }} isAnimationActive={false} />
          <Bar dataKey="importance" fill={colors.bar} barSize={13} radius={[0, 3, 3, 0]} isAnimationActive={false}>
            <LabelList dataKey="importance" position="right" formatter={(v: unknown) => formatPercent(Number(v) / total)} style={{ fill: colors.axis, fontSize: 11, fontVariantNumeric: 'tabular-nums' }} />
          </Bar>
        </BarChart>
      </div>
      {data.length > TOP_FEATURES && (
        <div className="chart-foot">
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => setAll((a) => !a)} aria-expanded={all} data-testid="importance-show-all">
            {all ? `Show the top ${TOP_FEATURES}` : `Show all ${data.length} features`}
          </button>
        </div>
      )}
      <table className="sr-only">
        <caption>Feature importance, largest first</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => (
            <tr key={d.feature}>
              <th scope="row">{d.feature}</th>
              <td>{formatPercent(d.importance / total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

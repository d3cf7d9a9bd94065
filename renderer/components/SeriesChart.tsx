/** Line series over an integer x (boosting round, tree): live validation metric, train vs validation loss. */
import { useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { axisStyle, useChartColors } from './chart-palette.js';
import { formatInt, formatStat } from './format.js';
import { useElementWidth } from './useElementWidth.js';

export interface Series {
  key: string;
  name: string;
}

export interface SeriesChartProps {
  data: Array<Record<string, number | undefined>>;
  xKey: string;
  xLabel: string;
  series: Series[];
  height?: number;
  testId?: string;
  ariaLabel: string;
}

export function SeriesChart({ data, xKey, xLabel, series, height = 220, testId, ariaLabel }: SeriesChartProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 520);
  const colors = useChartColors();

  function TooltipBody({ active, payload, label }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name">
          {xLabel} {formatInt(Number(label))}
        </div>
        {payload.map((p) => (
          <div key={String(p.dataKey)} className="chart-tooltip-value">
            <span className="legend-dot" style={{ background: p.color }} /> {p.name} {formatStat(Number(p.value))}
          </div>
        ))}
      </div>
    );
  }

  return (
    <figure className="series-chart" data-testid={testId} aria-label={ariaLabel} data-points={data.length}>
      <div ref={wrapRef} className="chart-canvas" aria-hidden="true">
        <LineChart width={width} height={height} data={data} margin={{ top: 6, right: 16, bottom: 18, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis
            type="number"
            dataKey={xKey}
            domain={['dataMin', 'dataMax']}
            allowDecimals={false}
            {...axisStyle(colors)}
            label={{ value: xLabel, position: 'insideBottom', offset: -10, fill: colors.axis, fontSize: 11 }}
          />
          <YAxis type="number" domain={['auto', 'auto']} tickFormatter={(v: number) => formatStat(v)} {...axisStyle(colors)} width={56} />
          <Tooltip content={TooltipBody} isAnimationActive={false} cursor={{ stroke: colors.reference }} />
          {series.length > 1 && <Legend verticalAlign="top" align="right" height={24} iconType="plainline" wrapperStyle={{ fontSize: 12, color: colors.label }} />}
          {series.map((s, k) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.name} stroke={colors.series[k % colors.series.length]} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}

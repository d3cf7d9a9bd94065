/** Horizontal bar chart of class counts (recharts), with an optional log scale for rare classes. */
import { useMemo, useRef } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { useTheme } from '../app/theme.js';
import { formatInt, formatPercent } from './format.js';
import { useElementWidth } from './useElementWidth.js';

export interface ClassDatum {
  name: string;
  count: number;
}

const PALETTE = {
  light: { attack: '#c2410c', benign: '#2f6f9f', grid: '#e6e8ec', axis: '#5b6472', label: '#303744', cursor: 'rgba(30,40,60,0.06)' },
  dark: { attack: '#f08a4b', benign: '#6aa7d8', grid: '#2a3039', axis: '#97a0ad', label: '#d5dae2', cursor: 'rgba(255,255,255,0.05)' },
} as const;

export function isBenignClass(name: string): boolean {
  return /^(benign|normal)$/i.test(name.trim());
}

/** Powers of ten spanning [1, max] for log-scale ticks. */
export function logTicks(max: number): number[] {
  const ticks: number[] = [];
  for (let v = 1; v <= Math.max(10, max); v *= 10) ticks.push(v);
  return ticks;
}

/** Upper end of the log axis: room for the bar labels, and ending on a tick when one is near. */
export function logDomainMax(max: number): number {
  const m = Math.max(10, max * 1.5);
  const p = 10 ** Math.ceil(Math.log10(m));
  return p <= m * 1.6 ? p : m;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export interface ClassBarChartProps {
  data: ClassDatum[];
  log: boolean;
  ariaLabel: string;
  testId?: string;
}

export function ClassBarChart({ data, log, ariaLabel, testId }: ClassBarChartProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 640);
  const theme = useTheme((s) => s.theme);
  const colors = PALETTE[theme];
  const total = useMemo(() => data.reduce((n, d) => n + d.count, 0), [data]);
  const max = useMemo(() => data.reduce((m, d) => Math.max(m, d.count), 0), [data]);
  const barSize = data.length > 24 ? 14 : 18;
  const rowH = barSize + 8;
  const height = Math.max(120, data.length * rowH + 40);
  const longest = data.reduce((m, d) => Math.max(m, d.name.length), 0);
  const yWidth = Math.min(240, Math.max(70, longest * 7 + 12));

  function TooltipBody({ active, payload }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    const d = payload[0]!.payload as ClassDatum;
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name">{d.name}</div>
        <div className="chart-tooltip-value">
          {formatInt(d.count)} rows <span className="dim">· {formatPercent(total ? d.count / total : 0)}</span>
        </div>
      </div>
    );
  }

  return (
    <figure className="class-chart" data-testid={testId} aria-label={ariaLabel} data-scale={log ? 'log' : 'linear'}>
      <div ref={wrapRef} className="class-chart-canvas" aria-hidden="true">
        <BarChart
          width={width}
          height={height}
          data={data}
          layout="vertical"
          margin={{ top: 4, right: 64, bottom: 4, left: 4 }}
          barCategoryGap={4}
          accessibilityLayer={false}
        >
          <CartesianGrid horizontal={false} stroke={colors.grid} />
          <XAxis
            type="number"
            scale={log ? 'log' : 'auto'}
            domain={log ? [0.8, logDomainMax(max)] : [0, 'auto']}
            ticks={log ? logTicks(logDomainMax(max)) : undefined}
            allowDataOverflow={log}
            tickFormatter={(v: number) => compact.format(v)}
            tick={{ fill: colors.axis, fontSize: 11 }}
            axisLine={{ stroke: colors.grid }}
            tickLine={false}
          />
          <YAxis
            type="category"
            dataKey="name"
            width={yWidth}
            interval={0}
            tick={{ fill: colors.label, fontSize: 12 }}
            axisLine={false}
            tickLine={false}
          />
          <Tooltip content={TooltipBody} cursor={{ fill: colors.cursor, stroke: 'none' }} isAnimationActive={false} />
          <Bar dataKey="count" barSize={barSize} radius={[0, 3, 3, 0]} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={isBenignClass(d.name) ? colors.benign : colors.attack} />
            ))}
            <LabelList
              dataKey="count"
              position="right"
              formatter={(v: unknown) => formatInt(Number(v))}
              style={{ fill: colors.axis, fontSize: 11, fontVariantNumeric: 'tabular-nums' }}
            />
          </Bar>
        </BarChart>
      </div>
      <table className="sr-only">
        <caption>{ariaLabel}</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Rows</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.name}>
              <th scope="row">{d.name}</th>
              <td>{formatInt(d.count)}</td>
              <td>{formatPercent(total ? d.count / total : 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

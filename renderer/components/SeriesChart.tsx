/**
 * Line series over an integer x (boosting round, neural epoch, tree): live validation metric, train
 * vs validation loss. Short series (a few epochs) show their points; one x may be marked (the epoch
 * whose weights were kept).
 */
import { useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { axisStyle, useChartColors } from './chart-palette.js';
import { formatInt, formatStat } from './format.js';
import { useElementWidth } from './useElementWidth.js';

export interface Series {
  key: string;
  name: string;
}

export interface SeriesMarker {
  x: number;
  /** short text drawn beside the line ("kept") */
  label: string;
}

export interface SeriesChartProps<T extends object> {
  data: readonly T[];
  xKey: keyof T & string;
  xLabel: string;
  series: Series[];
  height?: number;
  testId?: string;
  ariaLabel: string;
  /** a vertical line at one x */
  marker?: SeriesMarker | null;
  /** draw a dot at each point while the series has at most this many (default 0: never) */
  dotsUpTo?: number;
  /** the y axis starts at 0 (losses) instead of fitting the data */
  yFromZero?: boolean;
}

/** The x range: the data's, widened to two units when it holds a single x (a lone first epoch). */
export function seriesDomain(xs: number[]): [number, number] | null {
  const finite = xs.filter((x) => Number.isFinite(x));
  if (finite.length === 0) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return max > min ? [min, max] : [min, min + 1];
}

export function SeriesChart<T extends object>({ data, xKey, xLabel, series, height = 220, testId, ariaLabel, marker, dotsUpTo = 0, yFromZero = false }: SeriesChartProps<T>) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 520);
  const colors = useChartColors();
  const domain = seriesDomain(data.map((d) => Number((d as Record<string, unknown>)[xKey])));
  // the marker's words go on the side with room: right of the line in the left half, else left of it
  const markerRight = !!marker && !!domain && marker.x - domain[0] > (domain[1] - domain[0]) / 2;
  const dot = data.length > 0 && data.length <= dotsUpTo ? { r: 2.5, strokeWidth: 0 } : false;

  function TooltipBody({ active, payload, label }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name">
          {xLabel} {formatInt(Number(label))}
          {marker && Number(label) === marker.x ? ` (${marker.label})` : ''}
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
        <LineChart width={width} height={height} data={data as T[]} margin={{ top: 6, right: 16, bottom: 18, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis
            type="number"
            dataKey={xKey as string}
            domain={domain ?? ['dataMin', 'dataMax']}
            allowDecimals={false}
            {...axisStyle(colors)}
            label={{ value: xLabel, position: 'insideBottom', offset: -10, fill: colors.axis, fontSize: 11 }}
          />
          <YAxis type="number" domain={yFromZero ? [0, 'auto'] : ['auto', 'auto']} tickFormatter={(v: number) => formatStat(v)} {...axisStyle(colors)} width={56} />
          <Tooltip content={TooltipBody} isAnimationActive={false} cursor={{ stroke: colors.reference }} />
          {series.length > 1 && <Legend verticalAlign="top" align="right" height={24} iconType="plainline" wrapperStyle={{ fontSize: 12, color: colors.label }} />}
          {marker && (
            <ReferenceLine
              x={marker.x}
              stroke={colors.reference}
              strokeDasharray="4 3"
              label={{ value: marker.label, position: markerRight ? 'insideTopRight' : 'insideTopLeft', fill: colors.axis, fontSize: 11 }}
            />
          )}
          {series.map((s, k) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.name}
              stroke={colors.series[k % colors.series.length]}
              fill={colors.series[k % colors.series.length]}
              strokeWidth={2}
              dot={dot}
              activeDot={{ r: 4 }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </div>
    </figure>
  );
}

/**
 * ROC or precision-recall curve (recharts). ROC draws the chance diagonal; PR draws the no-skill
 * line at the positives' share. The legend carries the area under the curve (PR: average precision).
 */
import { useMemo, useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import type { Curve } from '../../electron/contract/index.js';
import { axisStyle, useChartColors } from './chart-palette.js';
import { formatStat } from './format.js';
import { formatCoef } from './metric-format.js';
import { useElementWidth } from './useElementWidth.js';

export interface CurvePoint {
  x: number;
  y: number;
  threshold: number | null;
}

/** Curve points, thinned to at most `max` (first and last kept; evenly spaced between). */
export function curvePoints(curve: Curve, max = 600): CurvePoint[] {
  const n = Math.min(curve.x.length, curve.y.length);
  const out: CurvePoint[] = [];
  if (n === 0) return out;
  const step = n > max ? (n - 1) / (max - 1) : 1;
  let last = -1;
  for (let k = 0; k < Math.min(n, max); k++) {
    const i = k === Math.min(n, max) - 1 ? n - 1 : Math.round(k * step);
    if (i === last) continue;
    last = i;
    const t = curve.thresholds[i];
    out.push({ x: curve.x[i]!, y: curve.y[i]!, threshold: t === undefined || !Number.isFinite(t) ? null : t });
  }
  return out;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;
const UNIT_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

export interface CurveChartProps {
  kind: 'roc' | 'pr';
  curve: Curve;
  /** curve name for the legend ("attack", a class name) */
  name: string;
  /** PR: share of positives (the no-skill precision) */
  prevalence?: number;
  height?: number;
  testId?: string;
}

export function CurveChart({ kind, curve, name, prevalence, height = 300, testId }: CurveChartProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(wrapRef, 420);
  const colors = useChartColors();
  const data = useMemo(() => curvePoints(curve), [curve]);
  const xName = kind === 'roc' ? 'False-positive rate' : 'Recall';
  const yName = kind === 'roc' ? 'True-positive rate' : 'Precision';
  const areaName = kind === 'roc' ? 'AUC' : 'AP';
  const seriesName = `${name} · ${areaName} ${formatCoef(curve.auc)}`;
  const label = `${kind === 'roc' ? 'ROC' : 'Precision-recall'} curve for ${name}, ${areaName} ${formatCoef(curve.auc)}`;
  /** both axes run over 0..1, shown as percentages */
  const unitAxis = { type: 'number' as const, domain: [0, 1], ticks: UNIT_TICKS, tickFormatter: pct, ...axisStyle(colors) };

  function TooltipBody({ active, payload }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    const p = payload[0]!.payload as CurvePoint;
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-value">
          {xName} {pct(p.x)} · {yName} {pct(p.y)}
        </div>
        {p.threshold !== null && <div className="dim small">score threshold {formatStat(p.threshold)}</div>}
      </div>
    );
  }

  return (
    <figure className="curve-chart" data-testid={testId} aria-label={label} data-auc={curve.auc}>
      <div ref={wrapRef} className="chart-canvas" aria-hidden="true">
        <LineChart width={width} height={height} data={data} margin={{ top: 8, right: 16, bottom: 20, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis {...unitAxis} dataKey="x" label={{ value: xName, position: 'insideBottom', offset: -12, fill: colors.axis, fontSize: 11 }} />
          <YAxis {...unitAxis} width={56} label={{ value: yName, angle: -90, position: 'insideLeft', offset: 12, dy: 40, fill: colors.axis, fontSize: 11 }} />
          {kind === 'roc' ? (
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke={colors.reference} strokeDasharray="4 4" ifOverflow="hidden" />
          ) : prevalence !== undefined && prevalence > 0 ? (
            <ReferenceLine y={prevalence} stroke={colors.reference} strokeDasharray="4 4" ifOverflow="hidden" />
          ) : null}
          <Tooltip content={TooltipBody} isAnimationActive={false} cursor={{ stroke: colors.reference }} />
          <Legend verticalAlign="top" align="right" height={26} iconType="plainline" wrapperStyle={{ fontSize: 12, color: colors.label }} />
          <Line
            type={kind === 'roc' ? 'linear' : 'stepAfter'}
            dataKey="y"
            name={seriesName}
            stroke={colors.series[0]}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </div>
      <figcaption className="sr-only">{label}</figcaption>
    </figure>
  );
}

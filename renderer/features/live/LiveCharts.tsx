/**
 * The Live charts: alert flows over time stacked by class, the focused monitor's score histogram
 * with its threshold, top sources and destinations, and the class mix. Bars and lists pick
 * filters when clicked.
 */
import { memo, useMemo, useRef } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import type { AlertStats, MonitorInfo } from '../../../electron/contract/index.js';
import { axisStyle, useChartColors } from '../../components/chart-palette.js';
import { logTicks } from '../../components/ClassBarChart.js';
import { formatInt, plural } from '../../components/format.js';
import { useElementWidth } from '../../components/useElementWidth.js';
import { HISTOGRAM_COLORS, classColorMap, useLiveTheme } from './live-colors.js';
import { formatFlowClock, formatFlowTime, formatScore3, sortMonitors } from './live-format.js';
import { useLive } from './live.slice.js';
import { BarList } from './parts.js';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const OverTimeChart = memo(function OverTimeChart({ stats }: { stats: AlertStats }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref, 640);
  const colors = useChartColors();
  const theme = useLiveTheme();
  const classColors = useMemo(() => classColorMap(stats.classes, theme), [stats.classes, theme]);
  const data = useMemo(() => stats.buckets.map((b) => ({ start: b.start, ...b.counts })), [stats.buckets]);
  const spansDays = stats.buckets.length > 1 && stats.buckets[0]!.start.slice(0, 10) !== stats.buckets[stats.buckets.length - 1]!.start.slice(0, 10);

  function TooltipBody({ active, payload, label }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    const items = payload.filter((p) => Number(p.value) > 0);
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name mono">{formatFlowTime(String(label))} +{stats.bucketSeconds}s</div>
        {items.length === 0 && <div className="chart-tooltip-value dim">no alerts</div>}
        {items.map((p) => (
          <div key={String(p.dataKey)} className="chart-tooltip-value">
            <span className="legend-dot" style={{ background: p.color }} /> {p.name} {formatInt(Number(p.value))}
          </div>
        ))}
      </div>
    );
  }

  return (
    <figure className="live-chart" data-testid="alerts-over-time" aria-label={`Alert flows over flow time, stacked by class, ${stats.buckets.length} buckets of ${stats.bucketSeconds} s`} data-buckets={stats.buckets.length}>
      <div ref={ref} className="chart-canvas" aria-hidden="true">
        <BarChart
          width={width}
          height={190}
          data={data}
          margin={{ top: 6, right: 8, bottom: 4, left: 0 }}
          barCategoryGap={1}
          accessibilityLayer={false}
          onClick={(state) => {
            const i = typeof state?.activeTooltipIndex === 'number' ? state.activeTooltipIndex : Number(state?.activeTooltipIndex);
            const b = Number.isInteger(i) ? stats.buckets[i] : undefined;
            if (b) {
              const end = new Date(new Date(b.start).getTime() + stats.bucketSeconds * 1000).toISOString();
              useLive.getState().setForm({ from: formatFlowTime(b.start), to: formatFlowTime(end) });
            }
          }}
        >
          <CartesianGrid vertical={false} stroke={colors.grid} />
          <XAxis dataKey="start" tickFormatter={(v: string) => formatFlowClock(v, spansDays)} minTickGap={40} {...axisStyle(colors)} />
          <YAxis allowDecimals={false} tickFormatter={(v: number) => compact.format(v)} {...axisStyle(colors)} width={40} />
          <Tooltip content={TooltipBody} isAnimationActive={false} cursor={{ fill: colors.cursor }} />
          {stats.classes.map((c) => (
            <Bar key={c} dataKey={c} name={c} stackId="a" fill={classColors[c]} isAnimationActive={false} />
          ))}
        </BarChart>
      </div>
      <ul className="chart-legend small" aria-hidden="true">
        {stats.classes.map((c) => (
          <li key={c}>
            <span className="legend-dot" style={{ background: classColors[c] }} /> {c}
          </li>
        ))}
      </ul>
    </figure>
  );
});

export const ScoreHistogram = memo(function ScoreHistogram({ monitor }: { monitor: MonitorInfo }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref, 360);
  const colors = useChartColors();
  const hc = HISTOGRAM_COLORS[useLiveTheme()];
  const hist = monitor.stats.scoreHistogram;
  const n = hist.length || 1;
  const data = useMemo(() => hist.map((count, i) => ({ x: (i + 0.5) / n, lo: i / n, hi: (i + 1) / n, count, plot: count > 0 ? count : null })), [hist, n]);
  const max = hist.reduce((m, v) => Math.max(m, v), 0);
  const total = hist.reduce((a, v) => a + v, 0);
  const t = monitor.thresholdValue;
  const above = t === null ? null : hist.reduce((a, v, i) => a + ((i + 1) / n > t ? v : 0), 0);
  const top = Math.max(10, 10 ** Math.ceil(Math.log10(Math.max(1, max))));

  function TooltipBody({ active, payload }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    const d = payload[0]!.payload as (typeof data)[number];
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name">
          score {d.lo.toFixed(2)}–{d.hi.toFixed(2)}
        </div>
        <div className="chart-tooltip-value">{plural(d.count, 'flow')}</div>
      </div>
    );
  }

  return (
    <figure className="live-chart" data-testid="score-histogram" data-threshold={t ?? 'class'} data-total={total} aria-label={`Score histogram of ${monitor.name}: ${formatInt(total)} flows, ${t === null ? 'alerts decided by the predicted class' : `threshold ${formatScore3(t)}, about ${formatInt(above)} flows at or above it`}`}>
      <div ref={ref} className="chart-canvas" aria-hidden="true">
        <BarChart width={width} height={190} data={data} margin={{ top: 14, right: 10, bottom: 4, left: 0 }} barCategoryGap={0} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke={colors.grid} />
          <XAxis dataKey="x" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => String(v)} {...axisStyle(colors)} />
          <YAxis type="number" scale="log" domain={[1, top]} ticks={logTicks(top)} allowDataOverflow tickFormatter={(v: number) => compact.format(v)} {...axisStyle(colors)} width={40} />
          <Tooltip content={TooltipBody} isAnimationActive={false} cursor={{ fill: colors.cursor }} />
          <Bar dataKey="plot" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.lo} fill={t !== null && d.hi > t ? hc.above : hc.below} />
            ))}
          </Bar>
          {t !== null && <ReferenceLine x={t} stroke={hc.line} strokeWidth={1.5} strokeDasharray="4 3" label={{ value: `threshold ${formatScore3(t)}`, position: t > 0.6 ? 'insideTopRight' : 'insideTopLeft', fill: colors.label, fontSize: 11 }} />}
        </BarChart>
      </div>
      <figcaption className="small dim">
        flows per score bin (log scale) · {formatInt(total)} scored{t === null ? ' · alerts follow the predicted class (no score threshold)' : ''}
      </figcaption>
    </figure>
  );
});

function topItems(rows: Array<{ ip: string; alerts: number; flows: number }>) {
  return rows.slice(0, 8).map((r) => ({ key: r.ip, label: r.ip, value: r.alerts, extra: plural(r.flows, 'flow') }));
}

export function LiveCharts() {
  const stats = useLive((s) => s.stats);
  const statsError = useLive((s) => s.statsError);
  const monitors = useLive((s) => s.monitors);
  const focusId = useLive((s) => s.focusMonitorId);
  const theme = useLiveTheme();
  const monitor = useMemo(() => (focusId !== null ? monitors[focusId] : undefined) ?? sortMonitors(Object.values(monitors))[0] ?? null, [monitors, focusId]);
  const classColors = useMemo(() => classColorMap(stats?.classes ?? [], theme), [stats?.classes, theme]);
  const setForm = useLive.getState().setForm;
  return (
    <div className="live-charts">
      <section className="card live-card-wide" aria-labelledby="chart-time-title">
        <div className="card-head">
          <h2 id="chart-time-title" className="card-title">
            Alerts over time <span className="dim small">(flows, by class · flow time UTC)</span>
          </h2>
          {stats && <span className="small dim num">{plural(stats.total.alerts, 'alert')} · {plural(stats.total.flows, 'flow')}</span>}
        </div>
        {stats && stats.buckets.length > 0 ? <OverTimeChart stats={stats} /> : <p className="dim small chart-empty">{statsError ?? 'No alerts to show.'}</p>}
      </section>
      <section className="card" aria-labelledby="chart-hist-title">
        <div className="card-head">
          <h2 id="chart-hist-title" className="card-title">
            Score histogram
          </h2>
          {monitor && <span className="small dim ellipsis" title={monitor.name}>{monitor.name}</span>}
        </div>
        {monitor && monitor.stats.scoreHistogram.length > 0 ? <ScoreHistogram monitor={monitor} /> : <p className="dim small chart-empty">Scores appear once a monitor runs.</p>}
      </section>
      <section className="card" aria-labelledby="chart-src-title">
        <h2 id="chart-src-title" className="card-title">
          Top sources
        </h2>
        <BarList items={topItems(stats?.topSources ?? [])} empty="No alerts to show." testId="top-sources" ariaLabel="Top sources by alerts" onPick={(ip) => setForm({ src: ip })} pickLabel={(ip) => `Show only alerts from ${ip}`} />
      </section>
      <section className="card" aria-labelledby="chart-dst-title">
        <h2 id="chart-dst-title" className="card-title">
          Top destinations
        </h2>
        <BarList items={topItems(stats?.topDestinations ?? [])} empty="No alerts to show." testId="top-destinations" ariaLabel="Top destinations by alerts" onPick={(ip) => setForm({ dst: ip })} pickLabel={(ip) => `Show only alerts to ${ip}`} />
      </section>
      <section className="card" aria-labelledby="chart-mix-title">
        <h2 id="chart-mix-title" className="card-title">
          Class mix
        </h2>
        <BarList
          items={(stats?.classMix ?? []).slice(0, 10).map((c) => ({ key: c.className, label: c.className, value: c.alerts, extra: plural(c.flows, 'flow'), color: classColors[c.className] }))}
          empty="No alerts to show."
          testId="class-mix"
          ariaLabel="Alerts per class"
          onPick={(c) => setForm({ className: c })}
          pickLabel={(c) => `Show only ${c} alerts`}
        />
      </section>
    </div>
  );
}

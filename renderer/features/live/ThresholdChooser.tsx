/**
 * How a monitor decides that a flow is an alert: the model's own decision, a target false-positive
 * rate (calibrated on the model's held-out rows, shown on its ROC curve), an alerts-per-hour
 * budget, or a fixed score.
 */
import { useEffect, useRef, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import type { ThresholdCalibration } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { api } from '../../api/client.js';
import { axisStyle, useChartColors } from '../../components/chart-palette.js';
import { formatPercent } from '../../components/format.js';
import { formatScore } from '../../components/metric-format.js';
import { useElementWidth } from '../../components/useElementWidth.js';
import { formatScore3 } from './live-format.js';
import { type ThresholdForm, type ThresholdMode, thresholdFromForm } from './threshold.js';

const MODES: Array<{ mode: ThresholdMode; title: string; hint: string }> = [
  { mode: 'model', title: 'Model default', hint: 'its predicted class, or its stored anomaly threshold' },
  { mode: 'fpr', title: 'Target false-positive rate', hint: 'calibrated on its held-out benign rows' },
  { mode: 'budget', title: 'Alerts per hour', hint: 'adapts to the flow rate it sees' },
  { mode: 'score', title: 'Fixed score', hint: 'flag every flow scoring at least this' },
];

type Calibration = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; value: ThresholdCalibration } | { state: 'error'; message: string };

/** ROC points for a log FPR axis: zero FPRs dropped, at most `max` points. */
export function rocForLog(curve: ThresholdCalibration['curve'], max = 400): Array<{ fpr: number; tpr: number; threshold: number }> {
  const pts = curve.filter((p) => p.fpr > 0 && Number.isFinite(p.fpr) && Number.isFinite(p.tpr));
  if (pts.length <= max) return pts;
  const step = (pts.length - 1) / (max - 1);
  const out = [];
  for (let k = 0; k < max; k++) out.push(pts[Math.round(k * step)]!);
  return out;
}

function CalibrationChart({ cal }: { cal: ThresholdCalibration }) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref, 420);
  const colors = useChartColors();
  const data = rocForLog(cal.curve);
  const minFpr = Math.max(1e-5, Math.min(cal.fpr > 0 ? cal.fpr : 1, ...data.map((d) => d.fpr)));
  const lo = 10 ** Math.floor(Math.log10(minFpr));
  const ticks: number[] = [];
  for (let v = lo; v <= 1.0001; v *= 10) ticks.push(Number(v.toPrecision(1)));
  function TooltipBody({ active, payload }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    const p = payload[0]!.payload as { fpr: number; tpr: number; threshold: number };
    return (
      <div className="chart-tooltip">
        <div className="chart-tooltip-name">threshold {formatScore3(p.threshold)}</div>
        <div className="chart-tooltip-value">
          FPR {formatPercent(p.fpr)} · detection {formatPercent(p.tpr)}
        </div>
      </div>
    );
  }
  return (
    <figure className="calibration-chart" data-testid="calibration-chart" aria-label={`Held-out ROC curve; the chosen threshold gives ${formatPercent(cal.detectionRate)} detection at ${formatPercent(cal.fpr)} false positives`}>
      <div ref={ref} className="chart-canvas" aria-hidden="true">
        <LineChart width={width} height={170} data={data} margin={{ top: 8, right: 14, bottom: 18, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.grid} />
          <XAxis
            type="number"
            dataKey="fpr"
            scale="log"
            domain={[lo, 1]}
            ticks={ticks}
            allowDataOverflow
            tickFormatter={(v: number) => formatPercent(v)}
            {...axisStyle(colors)}
            label={{ value: 'false-positive rate (log)', position: 'insideBottom', offset: -10, fill: colors.axis, fontSize: 11 }}
          />
          <YAxis type="number" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} {...axisStyle(colors)} width={44} />
          <Tooltip content={TooltipBody} isAnimationActive={false} cursor={{ stroke: colors.reference }} />
          <Line type="stepAfter" dataKey="tpr" stroke={colors.series[0]} strokeWidth={2} dot={false} isAnimationActive={false} />
          {cal.fpr > 0 && <ReferenceLine x={cal.fpr} stroke={colors.reference} strokeDasharray="4 3" />}
          {cal.fpr > 0 && <ReferenceDot x={cal.fpr} y={cal.detectionRate} r={5} fill={colors.series[1]} stroke="none" />}
        </LineChart>
      </div>
    </figure>
  );
}

export function ThresholdChooser({ modelId, form, onChange, defaultHint }: { modelId: number | null; form: ThresholdForm; onChange(f: ThresholdForm): void; defaultHint?: string }) {
  const [cal, setCal] = useState<Calibration>({ state: 'idle' });
  const { spec, error } = thresholdFromForm(form);
  const fpr = spec?.mode === 'fpr' ? spec.fpr : null;

  useEffect(() => {
    if (modelId === null || fpr === null) {
      setCal({ state: 'idle' });
      return;
    }
    let live = true;
    setCal((c) => (c.state === 'ready' && c.value.modelId === modelId ? c : { state: 'loading' }));
    const t = setTimeout(() => {
      api
        .call('models.calibrate', { id: modelId, fpr })
        .then((value) => live && setCal({ state: 'ready', value }))
        .catch((err) => live && setCal({ state: 'error', message: errorMessage(err) }));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [modelId, fpr]);

  const set = (patch: Partial<ThresholdForm>) => onChange({ ...form, ...patch });
  return (
    <fieldset className="field threshold-chooser" data-testid="threshold-chooser">
      <legend className="field-label">Threshold</legend>
      <div className="threshold-modes" role="radiogroup" aria-label="How alerts are decided">
        {MODES.map((m) => (
          <label key={m.mode} className={`choice-card choice-compact${form.mode === m.mode ? ' checked' : ''}`}>
            <input type="radio" name="threshold-mode" checked={form.mode === m.mode} onChange={() => set({ mode: m.mode })} data-testid={`threshold-mode-${m.mode}`} />
            <span className="choice-body">
              <span className="choice-title">{m.title}</span>
              <span className="choice-desc">{m.mode === 'model' && defaultHint ? defaultHint : m.hint}</span>
            </span>
          </label>
        ))}
      </div>
      {form.mode === 'fpr' && (
        <div className="threshold-detail">
          <label className="field-inline">
            <span>Target FPR</span>
            <span className="input-suffix">
              <input className="input input-num" inputMode="decimal" value={form.fprPercent} onChange={(e) => set({ fprPercent: e.target.value })} aria-label="Target false-positive rate, percent" aria-invalid={error ? true : undefined} data-testid="threshold-fpr" />
              <span>%</span>
            </span>
          </label>
          <div className="calibration" role="status" aria-live="polite" data-testid="calibration-result" data-state={cal.state}>
            {cal.state === 'ready' ? (
              <span>
                Threshold <strong className="num" data-testid="calibration-threshold">{formatScore3(cal.value.threshold)}</strong> · detection rate{' '}
                <strong className="num" data-testid="calibration-detection">{formatScore(cal.value.detectionRate)}</strong> at {formatScore(cal.value.fpr)} false positives on the held-out rows
              </span>
            ) : cal.state === 'loading' ? (
              <span className="dim">Calibrating on the held-out rows…</span>
            ) : cal.state === 'error' ? (
              <span className="inline-error">{cal.message}</span>
            ) : modelId === null ? (
              <span className="dim">Choose a model first.</span>
            ) : null}
          </div>
          {cal.state === 'ready' && cal.value.curve.length > 1 && <CalibrationChart cal={cal.value} />}
        </div>
      )}
      {form.mode === 'budget' && (
        <label className="field-inline threshold-detail">
          <span>About</span>
          <input className="input input-num" inputMode="numeric" value={form.alertsPerHour} onChange={(e) => set({ alertsPerHour: e.target.value })} aria-label="Alerts per hour" aria-invalid={error ? true : undefined} data-testid="threshold-budget" />
          <span>flagged flows per hour at the rate it sees</span>
        </label>
      )}
      {form.mode === 'score' && (
        <label className="field-inline threshold-detail">
          <span>Flag scores of at least</span>
          <input className="input input-num" inputMode="decimal" value={form.score} onChange={(e) => set({ score: e.target.value })} aria-label="Score threshold, 0 to 1" aria-invalid={error ? true : undefined} data-testid="threshold-score" />
          <span className="dim">(0–1: classifiers 1 − P(benign), anomaly models their score)</span>
        </label>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Start monitoring: a model, a source (replay a dataset or a file, tail a file, watch a folder), speed, window, threshold. */
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type { MonitorSource } from '../../../electron/contract/index.js';
import { api } from '../../api/client.js';
import { errorMessage } from '../../api/errors.js';
import { Dialog, FormFooter } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { formatInt } from '../../components/format.js';
import { kindLabel } from '../../components/metric-format.js';
import { toast } from '../../components/toasts.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useModels } from '../models/models.slice.js';
import { formatScore3 } from './live-format.js';
import { useLive } from './live.slice.js';
import { ThresholdChooser } from './ThresholdChooser.js';
import { DEFAULT_THRESHOLD_FORM, type ThresholdForm, thresholdFromForm } from './threshold.js';

export type SourceKind = 'replay-dataset' | 'replay-file' | 'file' | 'folder';

const SOURCE_KINDS: Array<{ id: SourceKind; title: string; hint: string }> = [
  { id: 'replay-dataset', title: 'Replay a dataset', hint: 'an imported dataset, played back by its timestamps' },
  { id: 'replay-file', title: 'Replay a file', hint: 'a flow file on this machine, played back' },
  { id: 'file', title: 'Tail a file', hint: 'a growing CSV or Zeek log (rotation is followed)' },
  { id: 'folder', title: 'Watch a folder', hint: 'every flow file that appears in it' },
];

/** the contract's largest replay factor */
export const MAX_SPEED = 1_000_000;
export const SPEEDS = ['max', '1', '10', '100', '1000', 'custom'] as const;
export type SpeedChoice = (typeof SPEEDS)[number];
const SPEED_WORDS: Record<SpeedChoice, string> = { max: 'As fast as possible', '1': '1× (real time)', '10': '10×', '100': '100×', '1000': '1,000×', custom: 'Other…' };

export interface StartForm {
  modelId: string;
  kind: SourceKind;
  datasetId: string;
  path: string;
  speed: SpeedChoice;
  customSpeed: string;
  aggregateSeconds: string;
  name: string;
  threshold: ThresholdForm;
}

/** The form as `monitors.start` input, or what is missing. */
export function startInput(f: StartForm): { input: { modelId: number; source: MonitorSource; threshold: ReturnType<typeof thresholdFromForm>['spec']; aggregateSeconds: number; name?: string } | null; errors: string[] } {
  const errors: string[] = [];
  if (!f.modelId) errors.push('Choose a model.');
  let speed: 'max' | number = 'max';
  if (f.kind.startsWith('replay')) {
    if (f.speed === 'custom') {
      const n = Number(f.customSpeed);
      if (!f.customSpeed.trim() || !Number.isFinite(n) || n <= 0 || n > MAX_SPEED) errors.push('The replay speed must be above 0 and at most 1,000,000× real time.');
      else speed = n;
    } else if (f.speed !== 'max') speed = Number(f.speed);
  }
  let source: MonitorSource | null = null;
  if (f.kind === 'replay-dataset') {
    if (!f.datasetId) errors.push('Choose the dataset to replay.');
    else source = { kind: 'replay', datasetId: Number(f.datasetId), speed };
  } else if (!f.path.trim()) {
    errors.push(f.kind === 'folder' ? 'Give the folder to watch.' : 'Give the path of the flow file.');
  } else if (f.kind === 'replay-file') source = { kind: 'replay', path: f.path.trim(), speed };
  else source = { kind: f.kind, path: f.path.trim() };
  const agg = Number(f.aggregateSeconds);
  if (!f.aggregateSeconds.trim() || !Number.isFinite(agg) || agg < 0 || agg > 86400) errors.push('The aggregation window must be 0 to 86,400 seconds.');
  const { spec, error } = thresholdFromForm(f.threshold);
  if (error) errors.push(error);
  if (errors.length || !source || !spec) return { input: null, errors };
  return { input: { modelId: Number(f.modelId), source, threshold: spec, aggregateSeconds: agg, ...(f.name.trim() ? { name: f.name.trim() } : {}) }, errors };
}

export function StartMonitorDialog({ onClose, initial }: { onClose(): void; initial?: Partial<StartForm> }) {
  const models = useModels((s) => s.list);
  const modelsStatus = useModels((s) => s.listStatus);
  const details = useModels((s) => s.details);
  const datasets = useDatasets((s) => s.list);
  const [form, setForm] = useState<StartForm>(() => ({
    modelId: '',
    kind: 'replay-dataset',
    datasetId: '',
    path: '',
    speed: '100',
    customSpeed: '100000',
    aggregateSeconds: '60',
    name: '',
    threshold: DEFAULT_THRESHOLD_FORM,
    ...initial,
  }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);

  useEffect(() => {
    if (useModels.getState().listStatus === 'idle') void useModels.getState().loadList();
    if (useDatasets.getState().listStatus === 'idle') void useDatasets.getState().loadList();
  }, []);

  const sortedModels = useMemo(() => [...models].sort((a, b) => b.id - a.id), [models]);
  // the newest model, and the dataset it was trained on, unless chosen
  useEffect(() => {
    if (!form.modelId && sortedModels.length > 0) {
      const m = sortedModels[0]!;
      setForm((f) => ({ ...f, modelId: String(m.id), datasetId: f.datasetId || (m.datasetId !== null ? String(m.datasetId) : '') }));
    }
  }, [sortedModels, form.modelId]);
  const modelId = form.modelId ? Number(form.modelId) : null;
  useEffect(() => {
    if (modelId !== null) void useModels.getState().loadDetail(modelId);
  }, [modelId]);
  const model = models.find((m) => m.id === modelId) ?? null;
  const detail = modelId !== null ? details[modelId] : undefined;
  const defaultHint = detail?.threshold ? `its anomaly threshold ${formatScore3(detail.threshold.value)} (${(detail.threshold.targetFpr * 100).toFixed(1)}% FPR)` : model ? 'the class it predicts' : undefined;

  const { input, errors } = startInput(form);
  const set = (patch: Partial<StartForm>) => setForm((f) => ({ ...f, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!input || busy) return;
    setBusy(true);
    setError(null);
    try {
      const m = await useLive.getState().startMonitor(input as Parameters<ReturnType<typeof useLive.getState>['startMonitor']>[0]);
      toast.success(`Monitoring started: ${m.name}.`);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  const replay = form.kind.startsWith('replay');
  return (
    <Dialog
      title="Start monitoring"
      onClose={onClose}
      size="lg"
      testId="monitor-start-dialog"
      locked={busy}
      footer={
        <FormFooter
          form="monitor-start-form"
          label={
            <>
              <Icon name="play" size={14} /> Start
            </>
          }
          busyLabel="Starting…"
          busy={busy}
          disabled={tried && !input}
          onCancel={onClose}
          testId="monitor-start-submit"
        >
          {tried && errors.length > 0 && (
            <span className="footer-note field-error" role="alert" data-testid="monitor-start-problems">
              {errors[0]}
            </span>
          )}
        </FormFooter>
      }
    >
      <form id="monitor-start-form" className="form start-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field-label">Model</span>
          <select className="select select-wide" value={form.modelId} onChange={(e) => {
            const m = models.find((x) => x.id === Number(e.target.value));
            set({ modelId: e.target.value, ...(m && m.datasetId !== null && form.kind === 'replay-dataset' ? { datasetId: String(m.datasetId) } : {}) });
          }} data-testid="monitor-model">
            {sortedModels.length === 0 && <option value="">{modelsStatus === 'ready' ? 'No model yet: train one first' : 'Loading models…'}</option>}
            {sortedModels.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} — {kindLabel(m.kind)} · {m.target} · {m.datasetName}
              </option>
            ))}
          </select>
        </label>

        <fieldset className="field">
          <legend className="field-label">Source</legend>
          <div className="choice-row" role="radiogroup" aria-label="Source kind">
            {SOURCE_KINDS.map((k) => (
              <label key={k.id} className={`choice-card choice-compact${form.kind === k.id ? ' checked' : ''}`}>
                <input type="radio" name="monitor-source" checked={form.kind === k.id} onChange={() => set({ kind: k.id })} data-testid={`monitor-source-${k.id}`} />
                <span className="choice-body">
                  <span className="choice-title">{k.title}</span>
                  <span className="choice-desc">{k.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="field-row">
          {form.kind === 'replay-dataset' ? (
            <label className="field grow">
              <span className="field-label">Dataset</span>
              <select className="select" value={form.datasetId} onChange={(e) => set({ datasetId: e.target.value })} data-testid="monitor-dataset">
                <option value="">Choose a dataset…</option>
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} ({formatInt(d.rows)} rows)
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label className="field grow">
              <span className="field-label">{form.kind === 'folder' ? 'Folder' : 'File'} on the machine running Flowsight</span>
              <span className="path-row">
                <input className="input mono" value={form.path} onChange={(e) => set({ path: e.target.value })} placeholder={form.kind === 'folder' ? '/var/log/flows/' : '/var/log/zeek/conn.log'} data-testid="monitor-path" spellCheck={false} />
                {api.face === 'electron' && (
                  <button
                    type="button"
                    className="btn"
                    data-testid="monitor-path-browse"
                    onClick={() =>
                      void api.openFiles({ folders: form.kind === 'folder' }).then(
                        (picked) => picked[0] && set({ path: picked[0] }),
                        (err: unknown) => toast.error(errorMessage(err)),
                      )
                    }
                  >
                    Browse…
                  </button>
                )}
              </span>
            </label>
          )}
          {replay && (
            <label className="field">
              <span className="field-label">Speed</span>
              <select className="select" value={form.speed} onChange={(e) => set({ speed: e.target.value as SpeedChoice })} data-testid="monitor-speed">
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {SPEED_WORDS[s]}
                  </option>
                ))}
              </select>
            </label>
          )}
          {replay && form.speed === 'custom' && (
            <label className="field">
              <span className="field-label">× real time</span>
              <input className="input input-num input-speed" inputMode="decimal" value={form.customSpeed} onChange={(e) => set({ customSpeed: e.target.value })} data-testid="monitor-speed-custom" />
            </label>
          )}
          <label className="field">
            <span className="field-label">Aggregation window</span>
            <span className="input-suffix">
              <input className="input input-num" inputMode="numeric" value={form.aggregateSeconds} onChange={(e) => set({ aggregateSeconds: e.target.value })} data-testid="monitor-aggregate" title="alerts from the same source and class within this many seconds are one alert" />
              <span>s</span>
            </span>
          </label>
        </div>

        <ThresholdChooser modelId={modelId} form={form.threshold} onChange={(threshold) => set({ threshold })} defaultHint={defaultHint} />

        <label className="field">
          <span className="field-label">Name (optional)</span>
          <input className="input" value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="named after the source and model" maxLength={200} data-testid="monitor-name" />
        </label>
        {error && (
          <p className="inline-error" role="alert" data-testid="monitor-start-error">
            <Icon name="error" size={14} /> {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

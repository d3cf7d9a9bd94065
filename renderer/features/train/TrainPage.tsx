/**
 * Train a model: dataset and target, model kind and its parameters, how to test it, then Start.
 * The form is checked as you type (Start stays disabled with the reasons next to it); the running
 * job shows progress, a live validation metric and Cancel in the side panel.
 */
import { type FormEvent, type ReactNode, useEffect, useId, useMemo, useRef } from 'react';
import type { DatasetSummary, ModelKindInfo, ModelParamSpec, TargetName } from '../../../electron/contract/index.js';
import { isNeuralKind } from '../../api/contract-values.js';
import { useApp } from '../../app/app.slice.js';
import { routeHref } from '../../app/routes.js';
import { Icon } from '../../components/Icon.js';
import { RetryNotice } from '../../components/PageParts.js';
import { formatInt, profileLabel } from '../../components/format.js';
import { targetLabel } from '../../components/metric-format.js';
import { isSlowBackend, neuralRuntimeDetails, neuralRuntimeText } from '../../components/neural-format.js';
import { toast } from '../../components/toasts.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { useModels } from '../models/models.slice.js';
import { TrainStatus } from './TrainStatus.js';
import { trainActive, useTrain } from './train.slice.js';
import {
  DEFAULT_KIND,
  FOLDS_MAX,
  FOLDS_MIN,
  SEED_MAX,
  TEST_SIZE_MAX,
  TEST_SIZE_MIN,
  type TestMode,
  type TrainForm,
  type Validation,
  classCount,
  effectiveTarget,
  orderedErrors,
  paramValue,
  paramsEdited,
  splitRows,
  validateTrainForm,
} from './validation.js';

const TARGETS: Array<{ id: TargetName; hint: string }> = [
  { id: 'binary', hint: 'benign or attack: is this flow malicious at all?' },
  { id: 'category', hint: 'attack family (DoS, probe, …)' },
  { id: 'label', hint: 'the class as written in the data' },
];

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      <Icon name="error" size={12} /> {message}
    </p>
  );
}

/** One way of testing: a radio with its title, and the inputs that belong to it. */
function TestModeOption({ mode, title, current, onSelect, children }: { mode: TestMode; title: string; current: TestMode; onSelect(mode: TestMode): void; children: ReactNode }) {
  return (
    <div className={`test-mode${current === mode ? ' checked' : ''}`}>
      <label className="radio">
        <input type="radio" name="train-test-mode" checked={current === mode} onChange={() => onSelect(mode)} data-testid={`train-test-mode-${mode}`} />
        <span className="choice-title">{title}</span>
      </label>
      <div className="test-mode-body">{children}</div>
    </div>
  );
}

function ParamField({ spec, form, kind, error }: { spec: ModelParamSpec; form: TrainForm; kind: ModelKindInfo['kind']; error?: string }) {
  const setParam = useTrain((s) => s.setParam);
  const id = useId();
  const errId = `${id}-err`;
  const value = paramValue(form, kind, spec);
  const range = spec.min !== undefined && spec.max !== undefined ? `${spec.min}–${spec.max}` : spec.min !== undefined ? `≥ ${spec.min}` : spec.max !== undefined ? `≤ ${spec.max}` : '';
  const hint = `${spec.help}${range ? ` · ${range}` : ''} · default ${String(spec.default)}`;
  if (spec.type === 'bool') {
    return (
      <div className="field param-field param-bool" title={hint}>
        <label className="switch" htmlFor={id}>
          <input id={id} type="checkbox" role="switch" checked={Boolean(value)} onChange={(e) => setParam(kind, spec.key, e.target.checked)} data-testid={`train-param-${spec.key}`} />
          <span className="switch-track" aria-hidden="true">
            <span className="switch-thumb" />
          </span>
          <span className="param-label">{spec.label}</span>
        </label>
        <p className="param-hint">{spec.help}</p>
      </div>
    );
  }
  return (
    <div className="field param-field">
      <label htmlFor={id} className="field-label">
        {spec.label}
      </label>
      {spec.type === 'choice' ? (
        <select id={id} className="select" value={String(value)} onChange={(e) => setParam(kind, spec.key, e.target.value)} data-testid={`train-param-${spec.key}`} aria-describedby={`${id}-hint`}>
          {(spec.choices ?? []).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          className="input input-param num"
          type="number"
          inputMode={spec.type === 'int' ? 'numeric' : 'decimal'}
          step={spec.type === 'int' ? 1 : 'any'}
          min={spec.min}
          max={spec.max}
          value={String(value)}
          onChange={(e) => setParam(kind, spec.key, e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errId} ${id}-hint` : `${id}-hint`}
          data-testid={`train-param-${spec.key}`}
        />
      )}
      <p id={`${id}-hint`} className="param-hint">
        {hint}
      </p>
      <FieldError id={errId} message={error} />
    </div>
  );
}

/** The catalog in two groups, each in catalog order: tree models, then neural networks (when offered). */
export function kindGroups(catalog: ModelKindInfo[]): Array<{ id: 'trees' | 'neural'; title: string; kinds: ModelKindInfo[] }> {
  const trees = catalog.filter((k) => !isNeuralKind(k.kind));
  const neural = catalog.filter((k) => isNeuralKind(k.kind));
  if (neural.length === 0 || trees.length === 0) return [{ id: neural.length ? 'neural' : 'trees', title: neural.length ? 'Neural networks' : 'Tree models', kinds: catalog }];
  return [
    { id: 'trees', title: 'Tree models', kinds: trees },
    { id: 'neural', title: 'Neural networks', kinds: neural },
  ];
}

/** Where the neural networks will train: the TensorFlow.js backend `app.doctor` found. */
function NeuralRuntimeNote() {
  const neural = useApp((s) => s.neural);
  if (neural.status === 'checking') return <span className="kind-group-note dim small">TensorFlow.js · checking the backend…</span>;
  if (neural.status === 'error') return null;
  const { info } = neural;
  if (!info.backend) {
    return (
      <span className="kind-group-note small warn-text" title={neuralRuntimeDetails(info)} data-testid="train-neural-runtime">
        <Icon name="alert" size={12} /> TensorFlow.js could not be loaded here
      </span>
    );
  }
  return (
    <span className={`kind-group-note small${isSlowBackend(info.backend) ? ' warn-text' : ' dim'}`} title={neuralRuntimeDetails(info)} data-testid="train-neural-runtime">
      {isSlowBackend(info.backend) && <Icon name="alert" size={12} />} TensorFlow.js on {neuralRuntimeText(info)}
      {isSlowBackend(info.backend) ? ' (slow)' : ''}
    </span>
  );
}

function datasetOption(d: DatasetSummary): string {
  return `${d.name} · ${formatInt(d.rows)} rows`;
}

export function TrainPage({ presetDatasetId }: { presetDatasetId: number | null }) {
  const list = useDatasets((s) => s.list);
  const listStatus = useDatasets((s) => s.listStatus);
  const loadDetail = useDatasets((s) => s.loadDetail);
  const catalog = useModels((s) => s.catalog);
  const catalogError = useModels((s) => s.catalogError);
  const loadCatalog = useModels((s) => s.loadCatalog);
  const form = useTrain((s) => s.form);
  const setForm = useTrain((s) => s.setForm);
  const resetParams = useTrain((s) => s.resetParams);
  const start = useTrain((s) => s.start);
  const task = useTrain((s) => s.task);
  const running = trainActive(task);
  const detail = useDatasets((s) => (form.datasetId !== null ? s.details[form.datasetId] : undefined));
  const detailError = useDatasets((s) => (form.datasetId !== null ? s.detailStatus[form.datasetId] : undefined));
  const ids = { dataset: useId(), testSize: useId(), folds: useId(), testDataset: useId(), seed: useId(), name: useId(), problems: useId() };

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

  // a dataset named by the route (#/train/ID) is chosen once, on arrival
  useEffect(() => {
    if (presetDatasetId !== null) useTrain.getState().setForm({ datasetId: presetDatasetId });
  }, [presetDatasetId]);

  // the list may not have caught up with a dataset just imported: its detail vouches for it
  const datasets = useMemo(() => (detail && !list.some((d) => d.id === detail.id) ? [...list, detail] : list), [list, detail]);

  // no dataset chosen, or one that does not exist: the newest labelled one, else the newest
  useEffect(() => {
    if (listStatus !== 'ready' || list.length === 0) return;
    // the store's value, not this render's: the route's preset may have just been set
    const chosen = useTrain.getState().form.datasetId;
    const status = chosen !== null ? useDatasets.getState().detailStatus[chosen]?.status : undefined;
    if (chosen !== null && (list.some((d) => d.id === chosen) || status !== 'error')) return;
    const newest = [...list].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const pick = newest.find((d) => d.labelled) ?? newest[0]!;
    setForm({ datasetId: pick.id });
  }, [listStatus, list, form.datasetId, detailError, setForm]);

  // a model kind once the catalog is known
  useEffect(() => {
    if (!catalog || catalog.length === 0) return;
    if (form.kind && catalog.some((k) => k.kind === form.kind)) return;
    setForm({ kind: (catalog.find((k) => k.kind === DEFAULT_KIND) ?? catalog.find((k) => !k.unsupervised) ?? catalog[0]!).kind });
  }, [catalog, form.kind, setForm]);

  useEffect(() => {
    if (form.datasetId !== null) void loadDetail(form.datasetId);
  }, [form.datasetId, loadDetail]);

  const summary = datasets.find((d) => d.id === form.datasetId);
  const info = catalog?.find((k) => k.kind === form.kind);

  // unlabelled data: only an unsupervised kind can learn from it
  useEffect(() => {
    if (!catalog || !summary || summary.labelled || info?.unsupervised) return;
    const unsup = catalog.find((k) => k.unsupervised);
    if (unsup) setForm({ kind: unsup.kind });
  }, [catalog, summary, info, setForm]);

  const validation: Validation = useMemo(
    () => validateTrainForm(form, { kinds: catalog, datasets, dataset: detail ?? null }),
    [form, catalog, datasets, detail],
  );
  const problems = orderedErrors(validation, info);
  const target = effectiveTarget(form, info, summary);
  const testCandidates = datasets.filter((d) => d.labelled && d.id !== form.datasetId);
  const labelled = datasets.filter((d) => d.labelled);
  const unlabelled = datasets.filter((d) => !d.labelled);
  const rows = summary ? splitRows(summary.rows, form) : null;
  const unsupervisedNames = (catalog ?? []).filter((k) => k.unsupervised).map((k) => k.name).join(', ');
  const mainParams = info?.params.filter((p) => p.main) ?? [];
  const moreParams = info?.params.filter((p) => !p.main) ?? [];
  const moreErrors = moreParams.filter((p) => validation.errors[`param.${p.key}`]).length;
  const title = info && summary ? `${info.name} on ${summary.name}` : 'a model';
  const canStart = !running && validation.input !== null;
  const startRef = useRef<HTMLButtonElement>(null);
  // a run that ended here (cancelled, failed) gives the keyboard focus back to Start
  const phase = task?.phase;
  useEffect(() => {
    if (phase !== 'cancelled' && phase !== 'failed') return;
    const active = document.activeElement as HTMLButtonElement | null;
    if (!active || active === document.body || active.disabled) startRef.current?.focus();
  }, [phase]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!validation.input || running) return;
    start(validation.input, { title }).catch((err) => toast.error(String(err?.message ?? err)));
  }

  function setTestMode(mode: TestMode) {
    if (form.testMode !== mode) setForm({ testMode: mode });
  }

  if (listStatus === 'ready' && list.length === 0) {
    return (
      <div className="page" data-testid="train-page">
        <header className="page-header">
          <h1>Train a model</h1>
        </header>
        <section className="empty-state" data-testid="train-no-datasets">
          <div className="empty-illustration" aria-hidden="true">
            <Icon name="train" size={36} />
          </div>
          <h2>Import flows first</h2>
          <p className="empty-lead">A model learns from an imported dataset. Import flow files, or try the bundled sample data, then come back here.</p>
          <a className="btn btn-primary btn-lg" href={routeHref({ name: 'datasets' })}>
            <Icon name="database" /> Go to datasets
          </a>
        </section>
      </div>
    );
  }

  return (
    <div className="page train-page" data-testid="train-page">
      <header className="page-header">
        <div>
          <h1>Train a model</h1>
          <p className="page-subtitle">Choose the data, a model and how to test it. Training runs in the background; you can keep working meanwhile.</p>
        </div>
      </header>
      {catalogError && (
        <RetryNotice
          refreshIcon
          onRetry={() => {
            useModels.setState({ catalogError: null });
            void loadCatalog();
          }}
        >
          <strong>The list of models could not be loaded.</strong> {catalogError}
        </RetryNotice>
      )}
      <form className="train-layout" onSubmit={submit} noValidate aria-describedby={problems.length ? ids.problems : undefined}>
        <fieldset className="train-main" disabled={running}>
          <legend className="sr-only">Training settings</legend>

          <section className="card train-card" aria-labelledby="train-data-title">
            <h2 id="train-data-title" className="card-title step-title">
              <span className="step-num">1</span> Data
            </h2>
            <div className="field">
              <label htmlFor={ids.dataset} className="field-label">
                Dataset
              </label>
              <div className="field-inline">
                <select
                  id={ids.dataset}
                  className="select select-wide"
                  value={form.datasetId ?? ''}
                  onChange={(e) => setForm({ datasetId: Number(e.target.value), testDatasetId: form.testDatasetId === Number(e.target.value) ? null : form.testDatasetId })}
                  data-testid="train-dataset"
                  aria-invalid={validation.errors.dataset ? true : undefined}
                >
                  {form.datasetId === null && <option value="">Choose a dataset…</option>}
                  {labelled.length > 0 && (
                    <optgroup label="Labelled">
                      {labelled.map((d) => (
                        <option key={d.id} value={d.id}>
                          {datasetOption(d)}
                        </option>
                      ))}
                    </optgroup>
                  )}
                  {unlabelled.length > 0 && (
                    <optgroup label={`Unlabelled (${unsupervisedNames || 'unsupervised models'} only)`}>
                      {unlabelled.map((d) => (
                        <option key={d.id} value={d.id}>
                          {datasetOption(d)}
                        </option>
                      ))}
                    </optgroup>
                  )}
                </select>
                {summary && (
                  <a href={routeHref({ name: 'dataset', id: summary.id })} className="small">
                    View dataset
                  </a>
                )}
              </div>
              {summary && (
                <p className="dim small num" data-testid="train-dataset-facts">
                  {profileLabel(summary.profile)} · {formatInt(summary.rows)} rows · {formatInt(summary.features)} features ·{' '}
                  {summary.labelled ? `${formatInt(summary.classes)} labels` : 'unlabelled'}
                </p>
              )}
              <FieldError id={`${ids.dataset}-err`} message={validation.errors.dataset} />
              {detailError?.status === 'error' && <FieldError id={`${ids.dataset}-load`} message={detailError.error ?? undefined} />}
            </div>

            {summary && !summary.labelled ? (
              <p className="notice notice-info small">
                <Icon name="info" />
                <span className="notice-body">
                  Unlabelled flows: an unsupervised model ({unsupervisedNames || 'isolation forest'}) learns what this traffic usually looks like and flags what differs. There is no target to choose.
                </span>
              </p>
            ) : (
              <fieldset className="field" data-testid="train-target">
                <legend className="field-label">Target</legend>
                <div className="choice-row" role="radiogroup" aria-label="Target">
                  {TARGETS.map((t) => {
                    const n = classCount(detail ?? null, t.id);
                    const disabledByKind = !!info?.unsupervised && t.id !== 'binary';
                    const disabled = disabledByKind || (n !== null && n < 2);
                    const checked = target === t.id;
                    return (
                      <label key={t.id} className={`choice-card choice-compact${checked ? ' checked' : ''}${disabled ? ' disabled' : ''}`} title={disabledByKind ? `${info?.name ?? 'An unsupervised model'} learns benign traffic and tells benign from anything else` : t.hint}>
                        <input
                          type="radio"
                          name="train-target"
                          value={t.id}
                          checked={checked}
                          disabled={disabled}
                          onChange={() => setForm({ target: t.id })}
                          data-testid={`train-target-${t.id}`}
                        />
                        <span className="choice-body">
                          <span className="choice-title">{targetLabel(t.id)}</span>
                          <span className="choice-meta num" data-testid={`train-target-count-${t.id}`}>
                            {n === null ? '…' : `${formatInt(n)} ${n === 1 ? 'class' : 'classes'}`}
                          </span>
                        </span>
                      </label>
                    );
                  })}
                </div>
                <FieldError id={`${ids.dataset}-target-err`} message={validation.errors.target} />
              </fieldset>
            )}
          </section>

          <section className="card train-card" aria-labelledby="train-model-title">
            <h2 id="train-model-title" className="card-title step-title">
              <span className="step-num">2</span> Model
            </h2>
            {!catalog && !catalogError && <div className="skeleton-block" aria-busy="true" aria-label="Loading models" />}
            {catalog && (
              <fieldset className="field">
                <legend className="sr-only">Model kind</legend>
                <div className="kind-groups">
                  {kindGroups(catalog).map((g) => (
                    <div key={g.id} className="kind-group" data-testid={`train-kinds-${g.id}`}>
                      <div className="kind-group-head">
                        <h3 id={`train-kinds-${g.id}`} className="kind-group-title">
                          {g.title}
                        </h3>
                        {g.id === 'neural' && <NeuralRuntimeNote />}
                      </div>
                      <div className="choice-grid" role="radiogroup" aria-labelledby={`train-kinds-${g.id}`}>
                        {g.kinds.map((k) => {
                          const disabled = !!summary && !summary.labelled && !k.unsupervised;
                          const checked = form.kind === k.kind;
                          return (
                            <label key={k.kind} className={`choice-card${checked ? ' checked' : ''}${disabled ? ' disabled' : ''}`} title={disabled ? 'needs labelled data' : undefined}>
                              <input type="radio" name="train-kind" value={k.kind} checked={checked} disabled={disabled} onChange={() => setForm({ kind: k.kind })} data-testid={`train-model-${k.kind}`} />
                              <span className="choice-body">
                                <span className="choice-title">
                                  {k.name}
                                  {k.unsupervised && <span className="chip">unsupervised</span>}
                                </span>
                                <span className="choice-desc">{k.description}</span>
                              </span>
                            </label>
                          );
                        })}
                      </div>
                    </div>
                  ))}
                </div>
                <FieldError id="train-kind-err" message={validation.errors.kind} />
              </fieldset>
            )}
            {info && info.params.length > 0 && (
              <div className="params">
                <div className="params-head">
                  <h3 className="field-label">Parameters</h3>
                  {paramsEdited(form, info) && (
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => resetParams(info.kind)} data-testid="train-params-reset">
                      <Icon name="refresh" size={12} /> Reset to defaults
                    </button>
                  )}
                </div>
                <div className="param-grid">
                  {mainParams.map((p) => (
                    <ParamField key={`${info.kind}.${p.key}`} spec={p} form={form} kind={info.kind} error={validation.errors[`param.${p.key}`]} />
                  ))}
                </div>
                {moreParams.length > 0 && (
                  <details className="more-params" open={moreErrors > 0 ? true : undefined} data-testid="train-more-params">
                    <summary>
                      <Icon name="chevronRight" size={12} className="disclosure" /> More parameters ({moreParams.length})
                      {moreErrors > 0 && <span className="warn-text"> · {moreErrors} to fix</span>}
                    </summary>
                    <div className="param-grid">
                      {moreParams.map((p) => (
                        <ParamField key={`${info.kind}.${p.key}`} spec={p} form={form} kind={info.kind} error={validation.errors[`param.${p.key}`]} />
                      ))}
                    </div>
                  </details>
                )}
              </div>
            )}
          </section>

          <section className="card train-card" aria-labelledby="train-test-title">
            <h2 id="train-test-title" className="card-title step-title">
              <span className="step-num">3</span> Testing
            </h2>
            <fieldset className="field">
              <legend className="sr-only">How to test the model</legend>
              <div className="test-modes">
                <TestModeOption mode="split" title="Hold-out split" current={form.testMode} onSelect={setTestMode}>
                  <span className="input-suffix">
                    <input
                      id={ids.testSize}
                      className="input input-num"
                      type="number"
                      min={TEST_SIZE_MIN}
                      max={TEST_SIZE_MAX}
                      step={1}
                      value={form.testSizePct}
                      onFocus={() => setTestMode('split')}
                      onChange={(e) => setForm({ testSizePct: e.target.value, testMode: 'split' })}
                      aria-label="Test size, percent of rows"
                      aria-invalid={validation.errors.testSize ? true : undefined}
                      aria-describedby={validation.errors.testSize ? `${ids.testSize}-err` : undefined}
                      data-testid="train-test-size"
                    />
                    <span>% of rows held out, stratified by class</span>
                  </span>
                  <FieldError id={`${ids.testSize}-err`} message={form.testMode === 'split' ? validation.errors.testSize : undefined} />
                </TestModeOption>
                <TestModeOption mode="dataset" title="Separate test dataset" current={form.testMode} onSelect={setTestMode}>
                  <select
                    id={ids.testDataset}
                    className="select select-wide"
                    value={form.testDatasetId ?? ''}
                    onFocus={() => setTestMode('dataset')}
                    onChange={(e) => setForm({ testDatasetId: e.target.value === '' ? null : Number(e.target.value), testMode: 'dataset' })}
                    aria-label="Test dataset"
                    aria-invalid={form.testMode === 'dataset' && validation.errors.testDataset ? true : undefined}
                    data-testid="train-test-dataset"
                  >
                    <option value="">{testCandidates.length ? 'Choose a dataset…' : 'No other labelled dataset'}</option>
                    {testCandidates.map((d) => (
                      <option key={d.id} value={d.id}>
                        {datasetOption(d)}
                      </option>
                    ))}
                  </select>
                  <span className="dim small">all of the training dataset fits the model; this one only measures it</span>
                  <FieldError id={`${ids.testDataset}-err`} message={form.testMode === 'dataset' ? validation.errors.testDataset : undefined} />
                </TestModeOption>
                <TestModeOption mode="folds" title="k-fold cross-validation" current={form.testMode} onSelect={setTestMode}>
                  <span className="input-suffix">
                    <input
                      id={ids.folds}
                      className="input input-num"
                      type="number"
                      min={FOLDS_MIN}
                      max={FOLDS_MAX}
                      step={1}
                      value={form.folds}
                      onFocus={() => setTestMode('folds')}
                      onChange={(e) => setForm({ folds: e.target.value, testMode: 'folds' })}
                      aria-label="Number of folds"
                      aria-invalid={form.testMode === 'folds' && validation.errors.folds ? true : undefined}
                      data-testid="train-folds"
                    />
                    <span>folds: k models, each tested on the part it did not see; mean ± spread</span>
                  </span>
                  <FieldError id={`${ids.folds}-err`} message={form.testMode === 'folds' ? validation.errors.folds : undefined} />
                </TestModeOption>
              </div>
            </fieldset>
            <div className="field-row train-extras">
              <div className="field">
                <label htmlFor={ids.seed} className="field-label">
                  Seed
                </label>
                <input
                  id={ids.seed}
                  className="input input-seed num"
                  type="number"
                  min={0}
                  max={SEED_MAX}
                  step={1}
                  value={form.seed}
                  onChange={(e) => setForm({ seed: e.target.value })}
                  aria-invalid={validation.errors.seed ? true : undefined}
                  aria-describedby={`${ids.seed}-hint`}
                  data-testid="train-seed"
                />
                <p id={`${ids.seed}-hint`} className="param-hint">
                  the same seed repeats a run exactly
                </p>
                <FieldError id={`${ids.seed}-err`} message={validation.errors.seed} />
              </div>
              <div className="field grow">
                <label htmlFor={ids.name} className="field-label">
                  Name <span className="dim">(optional)</span>
                </label>
                <input
                  id={ids.name}
                  className="input"
                  value={form.name}
                  maxLength={220}
                  placeholder={info && summary ? `${info.name} · ${summary.name} · ${info.unsupervised ? 'anomaly' : targetLabel(target).toLowerCase()}` : 'a name for the model'}
                  onChange={(e) => setForm({ name: e.target.value })}
                  aria-invalid={validation.errors.name ? true : undefined}
                  data-testid="train-name"
                />
                <FieldError id={`${ids.name}-err`} message={validation.errors.name} />
              </div>
            </div>
          </section>
        </fieldset>

        <aside className="train-side">
          <section className="card train-summary" aria-labelledby="train-summary-title">
            <h2 id="train-summary-title" className="card-title">
              Summary
            </h2>
            <dl className="summary-list" data-testid="train-summary">
              <div>
                <dt>Dataset</dt>
                <dd>{summary?.name ?? '—'}</dd>
              </div>
              <div>
                <dt>Target</dt>
                <dd>
                  {summary && !summary.labelled ? 'anomaly (no labels)' : targetLabel(target)}
                  {summary?.labelled && classCount(detail ?? null, target) !== null && <span className="dim num"> · {formatInt(classCount(detail ?? null, target)!)} classes</span>}
                </dd>
              </div>
              <div>
                <dt>Model</dt>
                <dd>{info?.name ?? '—'}</dd>
              </div>
              <div>
                <dt>Testing</dt>
                <dd>
                  {form.testMode === 'split'
                    ? `${form.testSizePct || '?'}% hold-out`
                    : form.testMode === 'folds'
                      ? `${form.folds || '?'}-fold cross-validation`
                      : `on ${datasets.find((d) => d.id === form.testDatasetId)?.name ?? '…'}`}
                  {rows && (
                    <span className="dim num">
                      {' '}
                      · ≈ {formatInt(rows.train)} train / {formatInt(rows.test)} test rows{form.testMode === 'folds' ? ' per fold' : ''}
                    </span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Seed</dt>
                <dd className="num">{form.seed || '—'}</dd>
              </div>
            </dl>
            {problems.length > 0 && (
              <div id={ids.problems} className="form-problems" role="status" data-testid="train-form-errors">
                <p className="small">
                  <strong>{problems.length === 1 ? 'One thing to fix before training:' : `${problems.length} things to fix before training:`}</strong>
                </p>
                <ul>
                  {problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </div>
            )}
            {validation.warnings.length > 0 && (
              <ul className="form-warnings small" data-testid="train-form-warnings">
                {validation.warnings.map((w) => (
                  <li key={w}>
                    <Icon name="alert" size={12} /> {w}
                  </li>
                ))}
              </ul>
            )}
            <button ref={startRef} type="submit" className="btn btn-primary btn-lg btn-block" disabled={!canStart} data-testid="train-start">
              <Icon name="play" /> {running ? 'Training…' : 'Start training'}
            </button>
            {!running && <p className="dim small center">Enter in any field starts too.</p>}
          </section>
          <TrainStatus />
        </aside>
      </form>
    </div>
  );
}

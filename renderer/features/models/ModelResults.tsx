/**
 * One model's results: what it is and how it was tested, headline metrics, confusion matrix,
 * per-class table, ROC / PR curves, feature importance, the loss history (boosting rounds or neural
 * epochs, with how a neural network was trained), anomaly threshold.
 */
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import type { CurveSet, ModelDetail, NeuralTrainingInfo, ParamValue } from '../../../electron/contract/index.js';
import { isNeuralKind } from '../../api/contract-values.js';
import { navigate, routeHref } from '../../app/routes.js';
import { ConfusionMatrix } from '../../components/ConfusionMatrix.js';
import { CurveChart } from '../../components/CurveChart.js';
import { Icon } from '../../components/Icon.js';
import { Breadcrumbs, DetailPending, useDocumentTitle } from '../../components/PageParts.js';
import { ImportanceChart } from '../../components/ImportanceChart.js';
import { PerClassTable } from '../../components/PerClassTable.js';
import { SeriesChart } from '../../components/SeriesChart.js';
import { formatBytes, formatDate, formatInt, formatPercent, formatStat } from '../../components/format.js';
import { evaluationLabel, formatScore, formatSeconds, kindLabel, targetLabel } from '../../components/metric-format.js';
import { backendName } from '../../components/neural-format.js';
import { EvaluateDialog } from './EvaluateDialog.js';
import { MetricTiles } from './MetricTiles.js';
import { DeleteModelDialog, RenameModelDialog } from './ModelActions.js';
import { useModels } from './models.slice.js';

/**
 * 'attack' (attack vs benign) first, then the one-vs-rest classes in their given order. A name seen
 * twice keeps its first set: a binary model's one-vs-rest "attack" curve is the attack-vs-benign one.
 */
export function orderCurveSets(curves: CurveSet[]): CurveSet[] {
  const seen = new Set<string>();
  const unique = curves.filter((c) => !seen.has(c.name) && seen.add(c.name));
  return [...unique.filter((c) => c.name === 'attack'), ...unique.filter((c) => c.name !== 'attack')];
}

function curveOptionLabel(c: CurveSet): string {
  return c.name === 'attack' ? 'Attack vs benign' : `${c.name} vs rest`;
}

function CurvesSection({ curves }: { curves: CurveSet[] }) {
  const ordered = useMemo(() => orderCurveSets(curves), [curves]);
  const [name, setName] = useState<string | null>(null);
  const selectId = useId();
  const set = ordered.find((c) => c.name === name) ?? ordered[0];
  if (!set) return null;
  const prevalence = set.positives + set.negatives > 0 ? set.positives / (set.positives + set.negatives) : undefined;
  return (
    <section className="card" aria-labelledby="curves-title" data-testid="curves-section">
      <header className="card-head card-head-wrap">
        <div>
          <h2 id="curves-title" className="card-title">
            ROC and precision-recall
          </h2>
          <p className="card-sub dim num">
            {formatInt(set.positives)} positive and {formatInt(set.negatives)} negative test rows
          </p>
        </div>
        {ordered.length > 1 && (
          <div className="card-tools">
            <label htmlFor={selectId} className="dim small">
              Curve
            </label>
            <select id={selectId} className="select select-sm" value={set.name} onChange={(e) => setName(e.target.value)} data-testid="curve-select">
              {ordered.map((c) => (
                <option key={c.name} value={c.name}>
                  {curveOptionLabel(c)}
                </option>
              ))}
            </select>
          </div>
        )}
      </header>
      <div className="curves-grid">
        <CurveChart kind="roc" curve={set.roc} name={set.name} testId="roc-chart" />
        <CurveChart kind="pr" curve={set.pr} name={set.name} prevalence={prevalence} testId="pr-chart" />
      </div>
    </section>
  );
}

const compactFmt = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
function compactRate(v: number): string {
  return Number.isFinite(v) ? compactFmt.format(v) : '—';
}

function paramText(v: ParamValue): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return formatStat(v);
  return v;
}

function Header({ m, onRename, onDelete, onEvaluate }: { m: ModelDetail; onRename(): void; onDelete(): void; onEvaluate(): void }) {
  const facts: Array<{ key: string; label: string; value: string; title?: string }> = [
    { key: 'evaluation', label: 'Evaluation', value: evaluationLabel(m.evaluation), title: m.evaluation.kind === 'split' ? 'stratified hold-out split' : undefined },
    { key: 'fit', label: 'Fit time', value: formatSeconds(m.fitSeconds) },
    { key: 'features', label: 'Features', value: formatInt(m.nFeatures) },
    { key: 'train-rows', label: 'Train rows', value: formatInt(m.trainRows) },
    { key: 'test-rows', label: m.evaluation.kind === 'folds' ? 'Rows (all folds)' : 'Test rows', value: formatInt(m.testRows) },
    { key: 'speed', label: 'Predicts', value: `${compactRate(m.predictRowsPerSecond)} rows/s`, title: `${formatInt(Math.round(m.predictRowsPerSecond))} rows per second` },
    { key: 'size', label: 'Model size', value: formatBytes(m.bytes) },
    { key: 'seed', label: 'Seed', value: String(m.seed) },
  ];
  return (
    <>
      <header className="page-header">
        <div className="title-block">
          <h1 data-testid="results-title">{m.name}</h1>
          <p className="page-subtitle result-subtitle">
            <span className="chip">{kindLabel(m.kind)}</span>
            <span>
              trained on{' '}
              {m.datasetId !== null ? (
                <a href={routeHref({ name: 'dataset', id: m.datasetId })} data-testid="results-dataset">
                  {m.datasetName}
                </a>
              ) : (
                <span title="this dataset has been deleted">{m.datasetName} (deleted)</span>
              )}
            </span>
            <span aria-hidden="true">·</span>
            <span data-testid="results-target">
              target {targetLabel(m.target)} ({m.classes.length} classes)
            </span>
            <span aria-hidden="true">·</span>
            <span className="dim">{formatDate(m.createdAt)}</span>
          </p>
        </div>
        <div className="button-row">
          <button type="button" className="btn btn-primary" onClick={onEvaluate} data-testid="evaluate-button">
            <Icon name="chart" /> Evaluate on another dataset
          </button>
          {m.datasetId !== null && (
            <a className="btn" href={routeHref({ name: 'train', datasetId: m.datasetId })} title="Train another model on the same dataset">
              <Icon name="train" /> Train again
            </a>
          )}
          <button type="button" className="btn" onClick={onRename} data-testid="model-rename">
            <Icon name="pencil" /> Rename
          </button>
          <button type="button" className="btn btn-danger-outline" onClick={onDelete} data-testid="model-delete">
            <Icon name="trash" /> Delete
          </button>
        </div>
      </header>
      <dl className="fact-strip" data-testid="model-facts">
        {facts.map((f) => (
          <div key={f.key} className="fact" title={f.title}>
            <dt>{f.label}</dt>
            <dd className="num" data-testid={`model-fact-${f.key}`}>
              {f.value}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** A result card's heading (`id` labels the card) and the line under it. */
function CardHead({ id, title, sub, numericSub }: { id: string; title: string; sub: ReactNode; numericSub?: boolean }) {
  return (
    <header className="card-head">
      <div>
        <h2 id={id} className="card-title">
          {title}
        </h2>
        <p className={numericSub ? 'card-sub dim num' : 'card-sub dim'}>{sub}</p>
      </div>
    </header>
  );
}

/** How a neural network was trained: backend, time per epoch, epochs run and kept, size. */
function NeuralFacts({ info }: { info: NeuralTrainingInfo }) {
  const facts: Array<{ key: string; label: string; value: string; title?: string }> = [
    { key: 'backend', label: 'Backend', value: info.backendLabel || backendName(info.backend), title: `TensorFlow.js backend: ${backendName(info.backend)}` },
    { key: 'epoch-seconds', label: 'Per epoch', value: formatSeconds(info.epochSeconds), title: 'median wall time of one epoch' },
    {
      key: 'epochs',
      label: 'Epochs',
      value: `${formatInt(info.epochsRun)} run · best ${formatInt(info.bestEpoch)}`,
      title: info.bestEpoch < info.epochsRun ? `early stopping kept the weights of epoch ${info.bestEpoch}` : 'the weights of the last epoch were kept',
    },
    { key: 'parameters', label: 'Parameters', value: formatInt(info.parameters), title: 'trainable weights and biases' },
    { key: 'learning-rate', label: 'Final learning rate', value: formatStat(info.finalLearningRate) },
  ];
  return (
    <dl className="neural-facts" data-testid="neural-facts">
      {facts.map((f) => (
        <div key={f.key} title={f.title}>
          <dt>{f.label}</dt>
          <dd className="num" data-testid={`neural-fact-${f.key}`}>
            {f.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Loss per boosting round, or per neural epoch with the kept epoch marked and how it was trained. */
function HistoryCard({ m }: { m: ModelDetail }) {
  const neural = isNeuralKind(m.kind) || !!m.neural;
  const history = m.history ?? [];
  const hasValid = history.some((h) => h.valid !== undefined && Number.isFinite(h.valid));
  const best = m.neural && history.some((h) => h.round === m.neural!.bestEpoch) ? m.neural.bestEpoch : null;
  const unit = neural ? 'epoch' : 'round';
  const n = history.length;
  const sub = neural
    ? n > 0
      ? `Loss per epoch · ${formatInt(n)} ${n === 1 ? 'epoch' : 'epochs'}${best !== null ? ` · the weights of epoch ${formatInt(best)} were kept` : ''}`
      : 'No loss history was stored for this model.'
    : `Loss per round · ${formatInt(n)} rounds kept`;
  return (
    <section className="card" aria-labelledby="history-title" data-testid="history-section">
      <CardHead id="history-title" title={neural ? 'Training history' : 'Boosting history'} numericSub sub={sub} />
      {n > 0 && (
        <SeriesChart
          data={history}
          xKey="round"
          xLabel={neural ? 'Epoch' : 'Round'}
          series={hasValid ? [{ key: 'train', name: 'train loss' }, { key: 'valid', name: 'validation loss' }] : [{ key: 'train', name: 'train loss' }]}
          height={280}
          marker={best !== null ? { x: best, label: 'kept' } : null}
          dotsUpTo={neural ? 60 : 0}
          yFromZero={neural}
          testId="history-chart"
          ariaLabel={`Training${hasValid ? ' and validation' : ''} loss per ${neural ? 'epoch' : 'boosting round'}, ${formatInt(n)} ${unit}s${best !== null ? `; epoch ${best} kept` : ''}`}
        />
      )}
      {m.neural && <NeuralFacts info={m.neural} />}
    </section>
  );
}

export function ModelResults({ id }: { id: number }) {
  const detail = useModels((s) => s.details[id]);
  const status = useModels((s) => s.detailStatus[id]);
  const load = useModels((s) => s.loadDetail);
  const evalTask = useModels((s) => (s.evaluation?.modelId === id ? s.evaluation : null));
  const dismissEvaluation = useModels((s) => s.dismissEvaluation);
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [evaluating, setEvaluating] = useState(false);

  useEffect(() => {
    void load(id);
  }, [id, load]);

  // a finished evaluation of this model (the dialog may have been closed while it ran) opens it
  const evalFinished = evalTask !== null && (evalTask.phase === 'succeeded' || evalTask.phase === 'failed');
  useEffect(() => {
    if (evalFinished) setEvaluating(true);
  }, [evalFinished]);

  useDocumentTitle(detail?.name);

  const crumbs = <Breadcrumbs parentHref={routeHref({ name: 'models' })} parentLabel="Models" current={detail?.name ?? `Model ${id}`} />;

  if (!detail) {
    return (
      <div className="page" data-testid="results-page">
        {crumbs}
        <DetailPending failed={status?.status === 'error'} error={status?.error} onRetry={() => void load(id, true)} loadingLabel="Loading model" />
      </div>
    );
  }

  const m = detail;
  const labels = m.metrics.confusion.labels;
  const many = labels.length > 6;
  const params = Object.entries(m.params);
  const neural = isNeuralKind(m.kind) || !!m.neural;
  const showHistory = (m.history !== null && m.history.length > 0) || !!m.neural;

  return (
    <div className="page" data-testid="results-page">
      {crumbs}
      <Header m={m} onRename={() => setRenaming(true)} onDelete={() => setDeleting(true)} onEvaluate={() => setEvaluating(true)} />

      <section aria-labelledby="headline-title" className="results-headline">
        <h2 id="headline-title" className="sr-only">
          Headline metrics
        </h2>
        <MetricTiles metrics={m.metrics} cv={m.crossValidation} />
        {m.crossValidation && (
          <p className="dim small">
            Mean ± standard deviation over {m.crossValidation.folds} folds; the confusion matrix, per-class table and curves pool the predictions of all folds.
          </p>
        )}
        {m.oobScore !== null && (
          <p className="dim small num" title="accuracy of each tree on the rows its bootstrap left out">
            Out-of-bag accuracy {formatScore(m.oobScore)}
          </p>
        )}
      </section>

      {m.threshold && (
        <div className="notice notice-info" data-testid="threshold-info">
          <Icon name="info" />
          <div className="notice-body">
            <strong>Anomaly threshold {formatStat(m.threshold.value)}.</strong> Flows whose anomaly score reaches it are flagged as attacks. It was chosen so that about{' '}
            {formatPercent(m.threshold.targetFpr)} of benign training flows are flagged;{' '}
            {m.kind === 'autoencoder' ? 'the autoencoder learned to reconstruct benign flows only, and its score is the reconstruction error.' : `the ${kindLabel(m.kind).toLowerCase()} learned from benign flows only.`}
          </div>
        </div>
      )}

      <div className={many ? 'results-stack' : 'results-grid'}>
        <section className="card" aria-labelledby="confusion-title">
          <header className="card-head">
            <h2 id="confusion-title" className="card-title">
              Confusion matrix
            </h2>
          </header>
          {labels.length > 0 ? (
            <ConfusionMatrix labels={labels} matrix={m.metrics.confusion.matrix} />
          ) : (
            <p className="dim" data-testid="confusion-empty">
              No labelled test rows: there is nothing to compare the predictions with.
            </p>
          )}
        </section>
        <section className="card card-table" aria-labelledby="per-class-title">
          <CardHead id="per-class-title" title="Per class" sub="Worst F1 first; click a heading to sort." />
          <PerClassTable perClass={m.metrics.perClass} order={labels} />
        </section>
      </div>

      {m.curves.length > 0 ? (
        <CurvesSection curves={m.curves} />
      ) : (
        <p className="dim small">No ROC or precision-recall curves were stored for this model.</p>
      )}

      <div className={showHistory && !(neural && m.importance.length === 0) ? 'results-grid' : 'results-stack'}>
        {neural && showHistory && <HistoryCard m={m} />}
        <section className="card" aria-labelledby="importance-title">
          <CardHead
            id="importance-title"
            title="Feature importance"
            numericSub
            sub={
              neural ? (
                m.importance.length > 0 ? (
                  <>
                    {formatInt(m.importance.length)} of {formatInt(m.nFeatures)} features · share of the mean |gradient × input|
                  </>
                ) : (
                  'gradient × input attribution'
                )
              ) : (
                <>
                  {formatInt(m.importance.length)} of {formatInt(m.nFeatures)} features used · share of the total split gain
                </>
              )
            }
          />
          {m.importance.length > 0 ? (
            <ImportanceChart data={m.importance} testId="importance-chart" />
          ) : (
            <p className="dim" data-testid="importance-empty">
              {neural
                ? 'No feature importance was stored for this network.'
                : 'The model made no splits; no feature carries importance.'}
            </p>
          )}
        </section>
        {!neural && showHistory && <HistoryCard m={m} />}
      </div>

      {params.length > 0 && (
        <details className="card params-card" data-testid="model-params">
          <summary>
            <Icon name="chevronRight" size={12} className="disclosure" /> Parameters ({params.length}) and input columns ({m.features.length})
          </summary>
          <dl className="facts-grid params-grid">
            {params.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{paramText(v)}</dd>
              </div>
            ))}
          </dl>
          <p className="small dim feature-list">{m.features.join(' · ')}</p>
        </details>
      )}

      {renaming && <RenameModelDialog model={m} onClose={() => setRenaming(false)} />}
      {deleting && <DeleteModelDialog model={m} onClose={() => setDeleting(false)} onDeleted={() => navigate({ name: 'models' })} />}
      {evaluating && (
        <EvaluateDialog
          model={m}
          onClose={() => {
            setEvaluating(false);
            dismissEvaluation();
          }}
        />
      )}
    </div>
  );
}

/** "Evaluate on another dataset": pick a labelled dataset, run the evaluate job, show its metrics. */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ModelSummary } from '../../../electron/contract/index.js';
import { errorMessage } from '../../api/errors.js';
import { ConfusionMatrix } from '../../components/ConfusionMatrix.js';
import { Dialog } from '../../components/Dialog.js';
import { Icon } from '../../components/Icon.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import { formatInt, formatPercent } from '../../components/format.js';
import { useDatasets } from '../datasets/datasets.slice.js';
import { jobPhaseText as phaseText } from '../train/progress.js';
import { jobFraction } from '../jobs/jobs.slice.js';
import { MetricTiles } from './MetricTiles.js';
import { evaluationActive, useModels } from './models.slice.js';

export function EvaluateDialog({ model, onClose }: { model: ModelSummary; onClose(): void }) {
  const datasets = useDatasets((s) => s.list);
  const task = useModels((s) => (s.evaluation?.modelId === model.id ? s.evaluation : null));
  const start = useModels((s) => s.startEvaluation);
  const cancel = useModels((s) => s.cancelEvaluation);
  const dismiss = useModels((s) => s.dismissEvaluation);
  const candidates = useMemo(() => datasets.filter((d) => d.labelled && d.id !== model.datasetId), [datasets, model.datasetId]);
  const [picked, setPicked] = useState<number | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const selectId = useId();
  const datasetId = picked ?? candidates[0]?.id ?? null;
  const running = evaluationActive(task);

  function close() {
    dismiss();
    onClose();
  }

  function submit() {
    const d = candidates.find((c) => c.id === datasetId);
    if (!d) return;
    dismiss();
    void start(model.id, d.id, d.name).catch(() => {});
  }

  const showForm = !task || task.phase === 'failed' || task.phase === 'cancelled';
  // the footer's buttons change with the phase: keep the keyboard focus inside the dialog
  const cancelRef = useRef<HTMLButtonElement>(null);
  const doneRef = useRef<HTMLButtonElement>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const phase = task?.phase ?? 'form';
  useEffect(() => {
    const target = phase === 'starting' || phase === 'running' ? cancelRef.current : phase === 'succeeded' ? doneRef.current : selectRef.current;
    const active = document.activeElement as HTMLElement | null;
    const dialog = target?.closest('[role="dialog"]');
    if (target && (!active || active === document.body || !dialog?.contains(active) || (active as HTMLButtonElement).disabled)) target.focus();
  }, [phase]);
  const fraction = task?.progress ? jobFraction(task.progress) : null;

  return (
    <Dialog
      title={task?.phase === 'succeeded' ? `“${model.name}” on ${task.datasetName}` : 'Evaluate on another dataset'}
      description={showForm ? `Score a labelled dataset with “${model.name}” and compare the results with its own evaluation. The dataset needs the columns the model was trained on.` : undefined}
      size="lg"
      onClose={close}
      testId="evaluate-dialog"
      footer={
        running ? (
          <button
            key="cancel-evaluation"
            ref={cancelRef}
            type="button"
            className="btn"
            disabled={task!.cancelRequested}
            onClick={() => {
              setCancelError(null);
              cancel().catch((err) => setCancelError(errorMessage(err)));
            }}
            data-testid="evaluate-cancel"
          >
            {task!.cancelRequested ? 'Cancelling…' : 'Cancel evaluation'}
          </button>
        ) : task?.phase === 'succeeded' ? (
          <>
            <button key="again" type="button" className="btn" onClick={dismiss}>
              Evaluate another dataset
            </button>
            <button key="done" ref={doneRef} type="button" className="btn btn-primary" onClick={close}>
              Done
            </button>
          </>
        ) : (
          <>
            <button key="close" type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button key="submit" type="button" className="btn btn-primary" onClick={submit} disabled={datasetId === null} data-testid="evaluate-submit">
              Evaluate
            </button>
          </>
        )
      }
    >
      {task?.phase === 'failed' && (
        <div className="notice notice-error" role="alert" data-testid="evaluate-error">
          <Icon name="error" />
          <div className="notice-body">
            <strong>The evaluation on {task.datasetName} failed.</strong> {task.error?.message}
          </div>
        </div>
      )}
      {task?.phase === 'cancelled' && (
        <div className="notice notice-info" role="status">
          <Icon name="info" />
          <div className="notice-body">Evaluation cancelled.</div>
        </div>
      )}
      {showForm &&
        (candidates.length === 0 ? (
          <p className="dim">There is no other labelled dataset in this workspace. Import one with the same columns (for example the test part of the same collection) to evaluate on it.</p>
        ) : (
          <div className="field">
            <label htmlFor={selectId} className="field-label">
              Dataset
            </label>
            <select ref={selectRef} id={selectId} className="select" value={datasetId ?? ''} onChange={(e) => setPicked(Number(e.target.value))} data-testid="evaluate-dataset">
              {candidates.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} — {formatInt(d.rows)} rows
                </option>
              ))}
            </select>
          </div>
        ))}
      {running && (
        <div className="eval-progress" data-testid="evaluate-progress">
          <p>
            Scoring <strong>{task!.datasetName}</strong>…
          </p>
          <ProgressBar
            value={fraction}
            label="Evaluation progress"
            valueText={`${task!.progress ? phaseText(task!.progress.phase) : 'Starting'}${fraction !== null ? ` ${formatPercent(fraction)}` : ''}`}
            testId="evaluate-progress-bar"
          />
          <p className="dim small">{task!.progress ? phaseText(task!.progress.phase) : 'Starting'}{fraction !== null ? ` · ${formatPercent(fraction)}` : ''}</p>
          {cancelError && (
            <p className="inline-error" role="alert">
              {cancelError}
            </p>
          )}
        </div>
      )}
      {task?.phase === 'succeeded' && task.result && (
        <div className="eval-result" data-testid="evaluate-result">
          <p className="dim small num">
            {formatInt(task.result.rows)} rows scored · {formatInt(Math.round(task.result.predictRowsPerSecond))} rows/s
          </p>
          <MetricTiles metrics={task.result.metrics} cv={null} testIdPrefix="eval-metric" />
          <ConfusionMatrix
            labels={task.result.metrics.confusion.labels}
            matrix={task.result.metrics.confusion.matrix}
            maxCell={72}
            testId="eval-confusion-matrix"
            cellTestId="eval-confusion-cell"
            toggleTestId="eval-confusion-mode-toggle"
          />
        </div>
      )}
    </Dialog>
  );
}

/** Class counts for the dataset's targets (label / category / binary) as a horizontal bar chart. */
import { useId, useMemo, useState } from 'react';
import type { ClassCounts, TargetName } from '../../../electron/contract/index.js';
import { ClassBarChart } from '../../components/ClassBarChart.js';
import { Icon } from '../../components/Icon.js';
import { formatInt } from '../../components/format.js';

const TARGETS: Array<{ id: TargetName; label: string; hint: string }> = [
  { id: 'label', label: 'Label', hint: 'the class as written in the data' },
  { id: 'category', label: 'Category', hint: 'attack family' },
  { id: 'binary', label: 'Benign / attack', hint: 'two classes' },
];

/** Ratio above which the log scale is on by default. */
const SKEW_FOR_LOG = 200;

export function ClassDistribution({ counts }: { counts: ClassCounts | null }) {
  const available = TARGETS.filter((t) => (counts?.[t.id]?.length ?? 0) > 0);
  const [target, setTarget] = useState<TargetName>(available[0]?.id ?? 'label');
  const data = useMemo(() => counts?.[target] ?? [], [counts, target]);
  const max = data.reduce((m, d) => Math.max(m, d.count), 0);
  const min = data.reduce((m, d) => Math.min(m, d.count), Infinity);
  const skewed = data.length > 1 && min > 0 && max / min > SKEW_FOR_LOG;
  const [logChoice, setLogChoice] = useState<boolean | null>(null);
  const log = logChoice ?? skewed;
  const groupName = useId();
  const logId = useId();

  if (!counts || available.length === 0) {
    return (
      <section className="card" aria-labelledby="classes-title" data-testid="class-chart-section">
        <header className="card-head">
          <h2 id="classes-title" className="card-title">
            Class distribution
          </h2>
        </header>
        <div className="card-empty">
          <Icon name="info" />
          <p>Unlabelled traffic: this dataset has no label column, so there are no classes to count. It can still be used for anomaly detection and scoring.</p>
        </div>
      </section>
    );
  }

  const total = data.reduce((n, d) => n + d.count, 0);
  const targetLabel = TARGETS.find((t) => t.id === target)!.label;

  return (
    <section className="card" aria-labelledby="classes-title" data-testid="class-chart-section">
      <header className="card-head card-head-wrap">
        <h2 id="classes-title" className="card-title">
          Class distribution
        </h2>
        <div className="card-tools">
          {available.length > 1 && (
            <div className="segmented" role="radiogroup" aria-label="Target">
              {available.map((t) => (
                <label key={t.id} className={`segment${target === t.id ? ' active' : ''}`} title={t.hint}>
                  <input
                    type="radio"
                    name={groupName}
                    value={t.id}
                    checked={target === t.id}
                    onChange={() => setTarget(t.id)}
                    data-testid={`class-target-${t.id}`}
                  />
                  <span>{t.label}</span>
                </label>
              ))}
            </div>
          )}
          <label className="switch" htmlFor={logId} title="A log scale keeps rare classes visible next to large ones">
            <input id={logId} type="checkbox" role="switch" checked={log} onChange={(e) => setLogChoice(e.target.checked)} data-testid="class-log-toggle" />
            <span className="switch-track" aria-hidden="true">
              <span className="switch-thumb" />
            </span>
            <span>Log scale</span>
          </label>
        </div>
      </header>
      <p className="card-sub dim num">
        {data.length} {data.length === 1 ? 'class' : 'classes'} · {formatInt(total)} rows
        {data.length > 1 && min > 0
          ? max / min < 1.5
            ? ' · balanced'
            : ` · largest is ${formatInt(Math.round(max / min))}× the smallest`
          : ''}
      </p>
      <ClassBarChart data={data} log={log} ariaLabel={`Rows per class (${targetLabel})${log ? ', log scale' : ''}`} testId="class-chart" />
    </section>
  );
}

/** Headline figures of an evaluation as tiles; k-fold models show mean ± std over the folds. */
import type { ClassificationMetrics, CrossValidationSummary, MeanSpread } from '../../../electron/contract/index.js';
import { formatCoef, formatScore } from '../../components/metric-format.js';

export interface Tile {
  key: string;
  label: string;
  value: string;
  /** k-fold: "± 0.41%" */
  spread: string | null;
  hint: string;
}

type Fmt = (v: number | null | undefined) => string;

function tile(key: string, label: string, hint: string, fmt: Fmt, pooled: number | null, cv: MeanSpread | null | undefined): Tile {
  if (cv) return { key, label, hint, value: fmt(cv.mean), spread: `± ${fmt(cv.std)}` };
  return { key, label, hint, value: fmt(pooled), spread: null };
}

export function metricTiles(m: ClassificationMetrics, cv: CrossValidationSummary | null): Tile[] {
  return [
    tile('accuracy', 'Accuracy', 'share of test rows classified correctly', formatScore, m.accuracy, cv?.accuracy),
    tile('macro-f1', 'Macro-F1', 'F1 averaged over classes, each class counting the same: rare classes weigh as much as common ones', formatScore, m.macroF1, cv?.macroF1),
    tile('weighted-f1', 'Weighted-F1', 'F1 averaged over classes, weighted by their rows', formatScore, m.weightedF1, cv?.weightedF1),
    tile('balanced-accuracy', 'Balanced accuracy', 'recall averaged over classes', formatScore, m.balancedAccuracy, cv?.balancedAccuracy),
    tile('mcc', 'MCC', 'Matthews correlation coefficient: 1 perfect, 0 no better than chance', formatCoef, m.mcc, cv?.mcc),
    tile('detection-rate', 'Detection rate', 'share of attack rows flagged as some attack', formatScore, m.detectionRate, cv?.detectionRate),
    tile('fpr', 'False-positive rate', 'share of benign rows flagged as an attack (lower is better)', formatScore, m.falsePositiveRate, cv?.falsePositiveRate),
  ];
}

export function MetricTiles({ metrics, cv, testIdPrefix = 'metric' }: { metrics: ClassificationMetrics; cv: CrossValidationSummary | null; testIdPrefix?: string }) {
  const tiles = metricTiles(metrics, cv);
  return (
    <dl className="metric-tiles" aria-label={cv ? `Headline metrics, mean ± standard deviation over ${cv.folds} folds` : 'Headline metrics'}>
      {tiles.map((t) => (
        <div key={t.key} className={`metric-tile metric-${t.key}`} title={t.hint}>
          <dt>{t.label}</dt>
          <dd className="num" data-testid={`${testIdPrefix}-${t.key}`}>
            <span className="metric-value">{t.value}</span>
            {t.spread && <span className="metric-spread dim">{t.spread}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

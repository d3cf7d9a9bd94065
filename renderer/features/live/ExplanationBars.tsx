/** An alert's explanation: each feature's push on the score as a bar left (away) or right (towards the alert). */
import { useState } from 'react';
import type { AlertExplanation, FeatureContribution } from '../../../electron/contract/index.js';
import { formatStat } from '../../components/format.js';

export const TOP_CONTRIBUTIONS = 12;

const METHOD_WORDS: Record<AlertExplanation['method'], string> = {
  'tree-shap': 'exact Shapley values of the trees',
  'gradient-input': 'gradient × input',
  occlusion: 'occlusion (each feature set to its benign median)',
};

function valueText(v: FeatureContribution['value']): string {
  if (v === null) return 'missing';
  return typeof v === 'number' ? formatStat(v) : v;
}

function signed(v: number): string {
  const s = formatStat(Math.abs(v));
  return v >= 0 ? `+${s}` : `−${s}`;
}

/** Where the flow's value sits against the benign rows: "above p95", "below p5", "typical". */
export function benignPosition(c: FeatureContribution): string | null {
  if (!c.benign || typeof c.value !== 'number') return null;
  if (c.value > c.benign.p95) return 'above benign p95';
  if (c.value < c.benign.p5) return 'below benign p5';
  return 'within benign p5–p95';
}

export function ExplanationBars({ explanation }: { explanation: AlertExplanation }) {
  const [all, setAll] = useState(false);
  const rows = all ? explanation.contributions : explanation.contributions.slice(0, TOP_CONTRIBUTIONS);
  const max = rows.reduce((m, c) => Math.max(m, Math.abs(c.contribution)), 0) || 1;
  return (
    <figure className="explain" data-testid="alert-explanation" aria-label={`Why: ${explanation.output}`}>
      <figcaption className="small dim">
        {explanation.output}: {formatStat(explanation.value)} for this flow, {formatStat(explanation.baseValue)} for an average row · {METHOD_WORDS[explanation.method]}
      </figcaption>
      <ol className="explain-list">
        {rows.map((c) => {
          const width = (Math.abs(c.contribution) / max) * 50;
          const pos = benignPosition(c);
          const towards = c.contribution >= 0;
          return (
            <li
              key={c.feature}
              className="explain-row"
              data-testid="explanation-row"
              data-feature={c.feature}
              title={`${c.feature} = ${valueText(c.value)}${c.benign ? ` (benign p5 ${formatStat(c.benign.p5)}, median ${formatStat(c.benign.median)}, p95 ${formatStat(c.benign.p95)})` : ''}: ${signed(c.contribution)} ${towards ? 'towards' : 'away from'} the alert`}
            >
              <span className="explain-name">
                <span className="explain-feature">{c.feature}</span>
                <span className="explain-value dim">
                  = {valueText(c.value)}
                  {pos && <span className={pos.startsWith('within') ? '' : 'explain-out'}> · {pos}</span>}
                </span>
              </span>
              <span className="explain-track" aria-hidden="true">
                <span className="explain-axis" />
                <span className={`explain-bar ${towards ? 'explain-pos' : 'explain-neg'}`} style={towards ? { left: '50%', width: `${width}%` } : { right: '50%', width: `${width}%` }} />
              </span>
              <span className={`explain-num num ${towards ? 'explain-pos-text' : 'explain-neg-text'}`}>{signed(c.contribution)}</span>
            </li>
          );
        })}
      </ol>
      {explanation.contributions.length > TOP_CONTRIBUTIONS && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => setAll((a) => !a)} aria-expanded={all}>
          {all ? `Show the top ${TOP_CONTRIBUTIONS}` : `Show all ${explanation.contributions.length} features`}
        </button>
      )}
    </figure>
  );
}

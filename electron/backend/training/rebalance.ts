/** Rebalancing of the training rows (random oversampling or SMOTE), shared by every supervised kind. */
import { takeRows } from '../../../ml-core/models/matrix.js';
import type { ColMatrix } from '../../../ml-core/models/types.js';
import { randomOversample, smote } from '../../../ml-core/preprocess/balance.js';
import type { FittedPreprocessor } from '../../../ml-core/preprocess/types.js';
import type { ParamValue } from '../../contract/dto.js';

export function gather(y: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]!]!;
  return out;
}

function indexRange(n: number): Int32Array {
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
}

/** X, y grown as `resample` asks ('none' returns them as they are). */
export function rebalance(
  X: ColMatrix,
  y: Int32Array,
  resample: ParamValue | undefined,
  pre: FittedPreprocessor,
  nClasses: number,
  seed: number,
): { X: ColMatrix; y: Int32Array } {
  if (resample === 'oversample') {
    const idx = randomOversample(y, null, nClasses, {}, seed);
    return { X: takeRows(X, idx), y: gather(y, idx) };
  }
  if (resample === 'smote') {
    const categorical = Int32Array.from(pre.outputSource.flatMap((src, j) => (pre.inputs[src]!.kind === 'categorical' && pre.options.encode === 'ordinal' ? [j] : [])));
    const r = smote(X, y, indexRange(y.length), nClasses, { categoricalFeatures: categorical }, seed);
    return { X: r.X, y: r.y };
  }
  return { X, y };
}

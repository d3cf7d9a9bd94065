/**
 * Parameters of the random forest and extra-trees classifiers, with scikit-learn's defaults
 * (ExtraTreesClassifier / RandomForestClassifier 1.2) per kind.
 */

export type ForestKind = 'extra-trees' | 'random-forest';
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;
export type ClassWeightMode = 'none' | 'balanced' | 'balanced-subsample';

export interface ForestParams {
  kind: ForestKind;
  nTrees: number;
  /** features drawn per node: 'sqrt' | 'log2' | 'all' | a fraction in (0, 1] of nFeatures */
  maxFeatures: MaxFeatures;
  criterion: 'gini' | 'entropy';
  /** 0 = unlimited */
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** draw a bootstrap sample (with replacement) per tree */
  bootstrap: boolean;
  /** bootstrap sample size as a fraction of the training rows (used only with bootstrap) */
  maxSamples: number;
  /** class weights folded into the sample weights ('balanced-subsample': from each tree's bootstrap sample) */
  classWeight: ClassWeightMode;
  seed: number;
}

const COMMON: Omit<ForestParams, 'kind' | 'bootstrap'> = {
  nTrees: 100,
  maxFeatures: 'sqrt',
  criterion: 'gini',
  maxDepth: 0,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxSamples: 1,
  classWeight: 'none',
  seed: 42,
};

export const FOREST_DEFAULTS: Readonly<Record<ForestKind, Readonly<ForestParams>>> = {
  'extra-trees': { ...COMMON, kind: 'extra-trees', bootstrap: false },
  'random-forest': { ...COMMON, kind: 'random-forest', bootstrap: true },
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/** Defaults of `kind` overlaid with `partial` (undefined fields ignored), validated. */
export function resolveForestParams(kind: ForestKind, partial: Partial<ForestParams> = {}): ForestParams {
  const base = FOREST_DEFAULTS[kind];
  if (!base) throw new RangeError(`unknown forest kind '${String(kind)}' (expected 'extra-trees' or 'random-forest')`);
  const p: ForestParams = { ...base };
  for (const [k, v] of Object.entries(partial)) {
    if (v !== undefined && k !== 'kind') (p as unknown as Record<string, unknown>)[k] = v;
  }
  check(Number.isInteger(p.nTrees) && p.nTrees >= 1, `nTrees must be an integer >= 1, got ${p.nTrees}`);
  const mf = p.maxFeatures;
  check(
    mf === 'sqrt' || mf === 'log2' || mf === 'all' || (typeof mf === 'number' && mf > 0 && mf <= 1),
    `maxFeatures must be 'sqrt', 'log2', 'all' or a fraction in (0, 1], got ${String(mf)}`,
  );
  check(p.criterion === 'gini' || p.criterion === 'entropy', `criterion must be 'gini' or 'entropy', got ${String(p.criterion)}`);
  check(Number.isInteger(p.maxDepth) && p.maxDepth >= 0, `maxDepth must be an integer >= 0 (0 = unlimited), got ${p.maxDepth}`);
  check(Number.isInteger(p.minSamplesSplit) && p.minSamplesSplit >= 2, `minSamplesSplit must be an integer >= 2, got ${p.minSamplesSplit}`);
  check(Number.isInteger(p.minSamplesLeaf) && p.minSamplesLeaf >= 1, `minSamplesLeaf must be an integer >= 1, got ${p.minSamplesLeaf}`);
  check(typeof p.bootstrap === 'boolean', `bootstrap must be true or false`);
  check(p.maxSamples > 0 && p.maxSamples <= 1, `maxSamples must be a fraction in (0, 1], got ${p.maxSamples}`);
  check(
    p.classWeight === 'none' || p.classWeight === 'balanced' || p.classWeight === 'balanced-subsample',
    `classWeight must be 'none', 'balanced' or 'balanced-subsample', got ${String(p.classWeight)}`,
  );
  check(Number.isInteger(p.seed), `seed must be an integer, got ${p.seed}`);
  return p;
}

/** Number of features drawn per node (scikit-learn's rounding: int(), at least 1). */
export function featuresPerNode(maxFeatures: MaxFeatures, nFeatures: number): number {
  let k: number;
  if (maxFeatures === 'sqrt') k = Math.floor(Math.sqrt(nFeatures));
  else if (maxFeatures === 'log2') k = Math.floor(Math.log2(nFeatures));
  else if (maxFeatures === 'all') k = nFeatures;
  else k = Math.floor(maxFeatures * nFeatures);
  return Math.max(1, Math.min(nFeatures, k));
}

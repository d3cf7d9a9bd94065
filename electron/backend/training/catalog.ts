/**
 * The model kinds the Train page and `flowsight train --set key=value` offer, with every tunable
 * parameter, its default, range and meaning; and the check that turns a request's `params` into
 * the model's, the preprocessing's and the pipeline's own settings.
 */
import { GBDT_DEFAULTS as G } from '../../../ml-core/models/gbdt/params.js';
import type { PreprocessOptions } from '../../../ml-core/preprocess/types.js';
import type { ModelKind, ModelKindInfo, ModelParamSpec, ParamValue } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';

type Dest = 'model' | 'preprocess' | 'pipeline';
interface Spec extends ModelParamSpec {
  dest: Dest;
}

const int = (key: string, label: string, def: number, min: number, max: number, help: string, main = false, dest: Dest = 'model'): Spec => ({
  key, label, type: 'int', default: def, min, max, help, main, dest,
});
const float = (key: string, label: string, def: number, min: number, max: number, help: string, main = false, dest: Dest = 'model'): Spec => ({
  key, label, type: 'float', default: def, min, max, help, main, dest,
});
const choice = (key: string, label: string, def: string, choices: string[], help: string, main = false, dest: Dest = 'model'): Spec => ({
  key, label, type: 'choice', default: def, choices, help, main, dest,
});
const bool = (key: string, label: string, def: boolean, help: string, main = false, dest: Dest = 'model'): Spec => ({
  key, label, type: 'bool', default: def, help, main, dest,
});

/** Preprocessing and rebalancing, offered for every supervised kind. */
function common(encodeDefault: 'ordinal' | 'onehot' = 'ordinal', scaleDefault: 'none' | 'standard' | 'log-standard' = 'none'): Spec[] {
  return [
    choice('impute', 'Missing values', 'median', ['median', 'constant'], 'How missing and non-finite values (Infinity, NaN, empty) are filled: the training median of the column, or a constant.', false, 'preprocess'),
    float('fillValue', 'Fill constant', 0, -1e12, 1e12, 'The constant used when missing values are filled with a constant.', false, 'preprocess'),
    bool('addIndicators', 'Missing-value indicators', false, 'Add a 0/1 column per feature that had missing values in training.', false, 'preprocess'),
    choice('scale', 'Scaling', scaleDefault, ['none', 'standard', 'robust', 'log-standard'], 'Numeric scaling fitted on the training rows (trees do not need it; neural networks do). log-standard takes sign(x)·ln(1 + |x|) first: byte counts and rates span many orders of magnitude.', false, 'preprocess'),
    choice('encode', 'Categorical encoding', encodeDefault, ['ordinal', 'onehot'], 'Categorical columns (protocol, service, flag…) as one ordinal column or one 0/1 column per category. Categories unseen in training are handled at scoring time.', false, 'preprocess'),
    choice('resample', 'Rebalancing', 'none', ['none', 'oversample', 'smote'], 'Grow rare classes in the training rows: random oversampling or SMOTE (synthetic rows between same-class neighbours).', false, 'pipeline'),
  ];
}

const forestParams = (kind: 'extra-trees' | 'random-forest'): Spec[] => [
  int('nTrees', 'Trees', 100, 1, 2000, 'Number of trees. More trees: steadier predictions, slower training and scoring.', true),
  int('maxDepth', 'Max depth', 0, 0, 200, 'Deepest a tree may grow; 0 = until leaves are pure.', true),
  choice('maxFeatures', 'Features per split', 'sqrt', ['sqrt', 'log2', 'all'], 'How many randomly chosen features each split considers.', true),
  choice('classWeight', 'Class weights', 'none', ['none', 'balanced', 'balanced-subsample'], 'Weigh rare classes up so they count as much as common ones.', true),
  choice('criterion', 'Split criterion', 'gini', ['gini', 'entropy'], 'Impurity measure a split reduces.'),
  int('minSamplesLeaf', 'Min rows per leaf', 1, 1, 10000, 'A split must leave at least this many rows on each side.'),
  int('minSamplesSplit', 'Min rows to split', 2, 2, 10000, 'A node with fewer rows becomes a leaf.'),
  bool('bootstrap', 'Bootstrap', kind === 'random-forest', 'Train each tree on a bootstrap sample (gives an out-of-bag estimate).'),
  // one-hot: a random split on a category's own 0/1 column beats one on arbitrary category codes
  // (NSL-KDD binary on KDDTest+: extra trees 0.782 vs 0.764, random forest 0.783 vs 0.777)
  ...common('onehot'),
];

/**
 * Neural networks (TensorFlow.js). Hidden layer widths: `units` for the first, each next one half
 * as wide (at least 8): dnn 256 with 3 layers = 256-128-64, the PyTorch peer's architecture.
 */
type NeuralKindName = 'ann' | 'mlp' | 'dnn' | 'cnn' | 'autoencoder';
const NEURAL_DEFAULTS: Record<NeuralKindName, { units: number; layers: number; dropout: number; epochs: number; batchNorm: boolean }> = {
  ann: { units: 64, layers: 1, dropout: 0, epochs: 40, batchNorm: false },
  mlp: { units: 128, layers: 2, dropout: 0, epochs: 40, batchNorm: false },
  dnn: { units: 256, layers: 3, dropout: 0.2, epochs: 40, batchNorm: true },
  cnn: { units: 128, layers: 2, dropout: 0.2, epochs: 20, batchNorm: false },
  autoencoder: { units: 64, layers: 2, dropout: 0, epochs: 60, batchNorm: false },
};

function neuralParams(kind: NeuralKindName): Spec[] {
  const d = NEURAL_DEFAULTS[kind];
  const specs: Spec[] = [];
  if (kind === 'dnn' || kind === 'autoencoder') {
    specs.push(int('layers', 'Hidden layers', d.layers, 1, 8, kind === 'autoencoder' ? 'Encoder layers (the decoder mirrors them); the last is the bottleneck.' : 'Dense blocks (dense, batch normalisation, ReLU, dropout).', true));
  }
  if (kind === 'cnn') {
    specs.push(int('filters', 'Filters', 16, 4, 256, 'Filters of the first 1-D convolution (the second has twice as many); kernel 3, max-pooling 2 after each. More filters: slower, rarely more accurate on flow features.', true));
  }
  specs.push(
    int('units', kind === 'cnn' ? 'Dense units' : 'Units', d.units, 4, 4096, kind === 'cnn' ? 'Width of the dense layer after the convolutions.' : 'Width of the first hidden layer; each next layer is half as wide.', true),
    float('dropout', 'Dropout', d.dropout, 0, 0.9, 'Share of units dropped at random while training (regularisation).', true),
    int('epochs', 'Epochs', d.epochs, 1, 2000, 'Most passes over the training rows.', true),
    int('batchSize', 'Batch size', 256, 8, 65536, 'Rows per gradient step.', true),
    float('learningRate', 'Learning rate', 0.001, 1e-6, 1, 'Adam step size at the start.', true),
    choice('lrSchedule', 'Learning-rate schedule', 'plateau', ['constant', 'plateau', 'cosine'], 'Keep the rate, halve it when the validation loss stalls for 2 epochs, or decay it along a cosine to 1% over the epochs.'),
    int('patience', 'Early stopping', 6, 0, 1000, 'Stop when the validation loss has not improved for this many epochs and keep the best epoch\'s weights (0 = off: train every epoch, keep the last).', true),
    float('validation', 'Validation share', 0.1, 0.02, 0.5, 'Share of the training rows held back to watch the validation loss (early stopping, schedule).'),
    float('weightDecay', 'L2 regularisation', 0, 0, 1, 'L2 penalty on the weights, added to the loss.'),
  );
  if (kind === 'dnn') specs.push(bool('batchNorm', 'Batch normalisation', d.batchNorm, 'Normalise each dense block\'s output over the batch (steadier, faster convergence).'));
  if (kind === 'autoencoder') {
    specs.push(float('targetFpr', 'Target false-positive rate', 0.05, 0.0001, 0.5, 'The anomaly threshold on reconstruction error is placed so that this share of held-back benign training rows is flagged.', true, 'pipeline'));
    return [...specs, ...common('onehot', 'log-standard').filter((s) => s.key !== 'resample')];
  }
  // balanced-sqrt: rare attacks (a dozen SQL injections among 25k flows) get learnt without
  // swamping the common classes (CICIDS2017 sample, DNN macro-F1: none 0.92, balanced 0.93,
  // balanced-sqrt 0.97 with log-standard scaling)
  specs.push(choice('classWeight', 'Class weights', 'balanced-sqrt', ['none', 'balanced', 'balanced-sqrt'], 'Weigh the loss of rare classes up (balanced) or partly up (square root).', true, 'pipeline'));
  return [...specs, ...common('onehot', 'log-standard')];
}

const CATALOG: Array<Omit<ModelKindInfo, 'params'> & { params: Spec[] }> = [
  {
    kind: 'extra-trees',
    name: 'Extra Trees',
    description: 'Extremely randomised trees: random split thresholds, fast to train, strong on flow features.',
    unsupervised: false,
    params: forestParams('extra-trees'),
  },
  {
    kind: 'random-forest',
    name: 'Random Forest',
    description: 'Bagged decision trees with the best split among random features; out-of-bag estimate.',
    unsupervised: false,
    params: forestParams('random-forest'),
  },
  {
    kind: 'gradient-boosting',
    name: 'Gradient Boosting',
    description: 'Histogram-based boosted trees (255 bins, leaf-wise growth, softmax for many classes, optional early stopping).',
    unsupervised: false,
    params: [
      int('maxRounds', 'Boosting rounds', G.maxRounds, 1, 5000, 'Most boosting rounds (one tree per class per round).', true),
      float('learningRate', 'Learning rate', G.learningRate, 0.001, 1, 'Shrinkage applied to every tree.', true),
      int('maxLeaves', 'Max leaves', G.maxLeaves, 2, 1024, 'Leaves per tree (leaf-wise growth).', true),
      int('earlyStoppingRounds', 'Early stopping', 0, 0, 1000, 'Stop when the validation loss has not improved for this many rounds (0 = off). When on, 10% of the training rows are held back to decide, then the model is refitted on every training row with the rounds found.', true),
      int('maxDepth', 'Max depth', G.maxDepth, 0, 64, 'Deepest a tree may grow; 0 = no limit (leaves limit it).'),
      choice('growth', 'Growth', G.growth, ['leaf', 'depth'], 'Grow the leaf with the best gain first, or level by level (depth-wise needs a max depth).'),
      float('minChildWeight', 'Min child weight', G.minChildWeight, 0, 1e6, 'Least hessian sum a leaf may hold.'),
      int('minSamplesLeaf', 'Min rows per leaf', G.minSamplesLeaf, 1, 100000, 'Least rows a leaf may hold.'),
      float('lambda', 'L2 regularisation', G.lambda, 0, 1e6, 'L2 penalty on leaf values.'),
      float('gamma', 'Min split gain', G.gamma, 0, 1e6, 'A split must gain at least this much.'),
      float('maxDeltaStep', 'Max leaf step', G.maxDeltaStep, 0, 1e6, 'Largest leaf value before the learning rate (0 = no limit); keeps boosting stable with heavy class weights.'),
      float('subsample', 'Row subsample', G.subsample, 0.05, 1, 'Share of rows drawn for each round.'),
      float('colsample', 'Column subsample', G.colsample, 0.05, 1, 'Share of features drawn for each tree.'),
      int('maxBins', 'Bins', G.maxBins, 4, 255, 'Histogram bins per feature.'),
      choice('classWeight', 'Class weights', 'none', ['none', 'balanced', 'balanced-sqrt'], 'Weigh rare classes up (balanced) or partly up (square root).', true, 'pipeline'),
      ...common(),
    ],
  },
  {
    kind: 'isolation-forest',
    name: 'Isolation Forest',
    description: 'Unsupervised: learns benign traffic only and flags flows that are easy to isolate. Scores benign vs attack.',
    unsupervised: true,
    params: [
      int('nTrees', 'Trees', 100, 1, 2000, 'Number of isolation trees.', true),
      int('maxSamples', 'Samples per tree', 256, 8, 1_000_000, 'Rows drawn for each tree.', true),
      float('targetFpr', 'Target false-positive rate', 0.05, 0.0001, 0.5, 'The anomaly threshold is placed so that this share of held-back benign training rows is flagged.', true, 'pipeline'),
      float('maxFeatures', 'Features per tree', 1, 0.05, 1, 'Share of features each tree draws from.'),
      ...common(),
    ].filter((s) => s.key !== 'resample'),
  },
  {
    kind: 'ann',
    name: 'ANN',
    description: 'Neural network with one hidden layer (TensorFlow.js): quick to train, a baseline for the deeper ones.',
    unsupervised: false,
    params: neuralParams('ann'),
  },
  {
    kind: 'mlp',
    name: 'MLP',
    description: 'Multi-layer perceptron with two hidden layers (TensorFlow.js).',
    unsupervised: false,
    params: neuralParams('mlp'),
  },
  {
    kind: 'dnn',
    name: 'DNN',
    description: 'Deep network: dense blocks with batch normalisation and dropout, Adam, early stopping (TensorFlow.js).',
    unsupervised: false,
    params: neuralParams('dnn'),
  },
  {
    kind: 'cnn',
    name: '1-D CNN',
    description: 'Two 1-D convolutions with max-pooling over the scaled feature vector, then a dense layer (TensorFlow.js).',
    unsupervised: false,
    params: neuralParams('cnn'),
  },
  {
    kind: 'autoencoder',
    name: 'Autoencoder',
    description: 'Unsupervised: learns to reconstruct benign flows only; a large reconstruction error flags attacks never seen in training.',
    unsupervised: true,
    params: neuralParams('autoencoder'),
  },
];

/** Learns benign rows only and scores anomalies (isolation forest, autoencoder). */
export function isUnsupervisedKind(kind: ModelKind): boolean {
  return CATALOG.find((k) => k.kind === kind)?.unsupervised ?? false;
}

export function modelCatalog(): ModelKindInfo[] {
  return CATALOG.map((k) => ({ ...k, params: k.params.map(({ dest: _dest, ...s }) => s) }));
}

export interface ResolvedParams {
  /** every parameter of the kind, defaults filled in (stored with the model) */
  all: Record<string, ParamValue>;
  model: Record<string, ParamValue>;
  preprocess: Partial<PreprocessOptions>;
  /** pipeline settings: resample, classWeight (boosting), targetFpr (isolation forest) */
  extra: Record<string, ParamValue>;
}

function coerce(spec: Spec, raw: ParamValue, kindName: string): ParamValue {
  const fail = (what: string) => new FlowsightError('BAD_INPUT', `${kindName} parameter "${spec.key}" ${what}.`);
  if (spec.type === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1' || raw === 1) return true;
    if (raw === 'false' || raw === '0' || raw === 0) return false;
    throw fail(`must be true or false, not ${JSON.stringify(raw)}`);
  }
  if (spec.type === 'choice') {
    const s = String(raw);
    if (!spec.choices!.includes(s)) throw fail(`must be one of ${spec.choices!.join(', ')}, not ${JSON.stringify(raw)}`);
    return s;
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) throw fail(`must be a number, not ${JSON.stringify(raw)}`);
  if (spec.type === 'int' && !Number.isInteger(n)) throw fail(`must be a whole number, not ${n}`);
  if (n < spec.min! || n > spec.max!) throw fail(`must be between ${spec.min} and ${spec.max}, not ${n}`);
  return n;
}

/** Validates `params` against the kind's catalog (unknown keys refused) and splits them by destination. */
export function splitParams(kind: ModelKind, params: Record<string, ParamValue>): ResolvedParams {
  const entry = CATALOG.find((k) => k.kind === kind);
  if (!entry) throw new FlowsightError('BAD_INPUT', `Unknown model "${kind}".`);
  const byKey = new Map(entry.params.map((s) => [s.key, s]));
  const unknown = Object.keys(params).filter((k) => !byKey.has(k));
  if (unknown.length) {
    throw new FlowsightError(
      'BAD_INPUT',
      `${entry.name} has no parameter ${unknown.map((k) => `"${k}"`).join(', ')}. Its parameters: ${[...byKey.keys()].join(', ')}.`,
    );
  }
  const out: ResolvedParams = { all: {}, model: {}, preprocess: {}, extra: {} };
  for (const spec of entry.params) {
    const v = params[spec.key] === undefined ? spec.default : coerce(spec, params[spec.key]!, entry.name);
    out.all[spec.key] = v;
    if (spec.dest === 'model') out.model[spec.key] = v;
    else if (spec.dest === 'pipeline') out.extra[spec.key] = v;
    else (out.preprocess as Record<string, ParamValue>)[spec.key] = v;
  }
  return out;
}

/** Model DTO fixtures for unit tests and previews only (never imported by the app). */
import type { ClassificationMetrics, Curve, CurveSet, ModelDetail, ModelKindInfo, ModelParamSpec, ModelSummary, NeuralRuntimeInfo } from '../../../electron/contract/index.js';

export const catalog: ModelKindInfo[] = [
  {
    kind: 'isolation-forest',
    name: 'Isolation forest',
    description: 'Learns what benign traffic looks like and flags flows that are easy to isolate.',
    unsupervised: true,
    params: [
      { key: 'trees', label: 'Trees', type: 'int', default: 100, min: 1, max: 1000, help: 'isolation trees', main: true },
      { key: 'subsample', label: 'Subsample', type: 'int', default: 256, min: 16, max: 4096, help: 'rows per tree', main: true },
      { key: 'targetFpr', label: 'Target FPR', type: 'float', default: 0.01, min: 0.0001, max: 0.5, help: 'false-positive rate the threshold is chosen for', main: false },
    ],
  },
  {
    kind: 'random-forest',
    name: 'Random forest',
    description: 'Many deep trees on bootstrap samples; robust and hard to overfit.',
    unsupervised: false,
    params: [
      { key: 'trees', label: 'Trees', type: 'int', default: 100, min: 1, max: 2000, help: 'number of trees', main: true },
      { key: 'maxDepth', label: 'Max depth', type: 'int', default: 20, min: 1, max: 64, help: 'deepest level of a tree', main: true },
      { key: 'maxFeatures', label: 'Features per split', type: 'choice', default: 'sqrt', choices: ['sqrt', 'log2', 'all'], help: 'features tried at each split', main: false },
      { key: 'classWeight', label: 'Balanced class weights', type: 'bool', default: true, help: 'weigh rare classes up', main: false },
      { key: 'minSamplesLeaf', label: 'Min rows per leaf', type: 'int', default: 1, min: 1, max: 1000, help: 'smallest leaf', main: false },
    ],
  },
  {
    kind: 'extra-trees',
    name: 'Extra trees',
    description: 'Like a random forest with random split points: faster, often as accurate.',
    unsupervised: false,
    params: [{ key: 'trees', label: 'Trees', type: 'int', default: 100, min: 1, max: 2000, help: 'number of trees', main: true }],
  },
  {
    kind: 'gradient-boosting',
    name: 'Gradient boosting',
    description: 'Shallow trees added one round at a time, each fixing the last; usually the most accurate.',
    unsupervised: false,
    params: [
      { key: 'rounds', label: 'Rounds', type: 'int', default: 200, min: 1, max: 5000, help: 'boosting rounds', main: true },
      { key: 'learningRate', label: 'Learning rate', type: 'float', default: 0.1, min: 0.001, max: 1, help: 'shrinkage per round', main: true },
      { key: 'maxLeaves', label: 'Leaves per tree', type: 'int', default: 31, min: 2, max: 1024, help: 'leaves of each tree', main: false },
    ],
  },
];

/** A neural kind's parameters, shaped like the backend catalog's (a subset). */
function neuralParams(over: { units: number; epochs: number; unsupervised?: boolean }): ModelParamSpec[] {
  const params: ModelParamSpec[] = [
    { key: 'layers', label: 'Hidden layers', type: 'int', default: 3, min: 1, max: 8, help: 'dense blocks', main: true },
    { key: 'units', label: 'Units', type: 'int', default: over.units, min: 4, max: 4096, help: 'width of the first hidden layer', main: true },
    { key: 'dropout', label: 'Dropout', type: 'float', default: 0.2, min: 0, max: 0.9, help: 'share of units dropped while training', main: true },
    { key: 'epochs', label: 'Epochs', type: 'int', default: over.epochs, min: 1, max: 2000, help: 'most passes over the training rows', main: true },
    { key: 'batchSize', label: 'Batch size', type: 'int', default: 256, min: 8, max: 65536, help: 'rows per gradient step', main: true },
    { key: 'learningRate', label: 'Learning rate', type: 'float', default: 0.001, min: 1e-6, max: 1, help: 'Adam step size', main: true },
    { key: 'lrSchedule', label: 'Learning-rate schedule', type: 'choice', default: 'plateau', choices: ['constant', 'plateau', 'cosine'], help: 'how the rate changes', main: false },
    { key: 'patience', label: 'Early stopping', type: 'int', default: 6, min: 0, max: 1000, help: 'epochs without improvement before stopping', main: true },
    { key: 'validation', label: 'Validation share', type: 'float', default: 0.1, min: 0.02, max: 0.5, help: 'training rows held back to watch the validation loss', main: false },
    { key: 'scale', label: 'Scaling', type: 'choice', default: 'standard', choices: ['none', 'standard', 'robust'], help: 'numeric scaling', main: false },
  ];
  if (over.unsupervised) params.push({ key: 'targetFpr', label: 'Target false-positive rate', type: 'float', default: 0.05, min: 0.0001, max: 0.5, help: 'threshold on reconstruction error', main: true });
  else params.push({ key: 'batchNorm', label: 'Batch normalisation', type: 'bool', default: true, help: 'normalise each block', main: false });
  return params;
}

/** The tree kinds and two neural ones, for the Train page's neural tests. */
export const neuralCatalog: ModelKindInfo[] = [
  ...catalog,
  { kind: 'dnn', name: 'DNN', description: 'Deep network: dense blocks with batch normalisation and dropout (TensorFlow.js).', unsupervised: false, params: neuralParams({ units: 256, epochs: 40 }) },
  {
    kind: 'autoencoder',
    name: 'Autoencoder',
    description: 'Unsupervised: learns to reconstruct benign flows only.',
    unsupervised: true,
    params: neuralParams({ units: 64, epochs: 60, unsupervised: true }),
  },
];

export const wasmRuntime: NeuralRuntimeInfo = {
  backend: 'wasm',
  label: 'WebAssembly (SIMD)',
  requested: 'auto',
  skipped: [
    { backend: 'tensorflow-gpu', reason: "Cannot find module '@tensorflow/tfjs-node-gpu'" },
    { backend: 'tensorflow', reason: "Cannot find module '@tensorflow/tfjs-node'" },
  ],
  version: '4.22.0',
};

export function metrics(labels: string[], matrix: number[][], over: Partial<ClassificationMetrics> = {}): ClassificationMetrics {
  const perClass: ClassificationMetrics['perClass'] = {};
  const colSum = labels.map((_, j) => matrix.reduce((a, r) => a + (r[j] ?? 0), 0));
  let correct = 0;
  let total = 0;
  labels.forEach((l, i) => {
    const row = matrix[i]!;
    const support = row.reduce((a, b) => a + b, 0);
    const tp = row[i]!;
    correct += tp;
    total += support;
    const precision = colSum[i]! > 0 ? tp / colSum[i]! : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[l] = { precision, recall, f1, support };
  });
  const f1s = Object.values(perClass).map((c) => c.f1);
  return {
    accuracy: correct / total,
    macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length,
    weightedF1: Object.values(perClass).reduce((a, c) => a + c.f1 * c.support, 0) / total,
    balancedAccuracy: Object.values(perClass).reduce((a, c) => a + c.recall, 0) / labels.length,
    mcc: 0.93,
    detectionRate: 0.981,
    falsePositiveRate: 0.012,
    perClass,
    confusion: { labels, matrix },
    ...over,
  };
}

function curve(power: number, n = 50): Curve {
  const x: number[] = [];
  const y: number[] = [];
  const thresholds: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    x.push(t);
    y.push(1 - (1 - t) ** power);
    thresholds.push(1 - t);
  }
  return { x, y, thresholds, auc: 1 - 1 / (power + 1) };
}

export function curveSet(name: string, power = 12): CurveSet {
  const pr = curve(power);
  return { name, roc: curve(power), pr: { ...pr, x: pr.x, y: pr.y.map((v) => 1 - v * 0.1).reverse() }, positives: 420, negatives: 480 };
}

export const binaryLabels = ['benign', 'attack'];
export const binaryMatrix = [
  [474, 6],
  [9, 411],
];

export function summaryOf(over: Partial<ModelSummary> = {}): ModelSummary {
  return {
    id: 3,
    name: 'GB · NSL-KDD · binary',
    kind: 'gradient-boosting',
    datasetId: 7,
    datasetName: 'NSL-KDD sample',
    target: 'binary',
    classes: binaryLabels,
    evaluation: { kind: 'split', testSize: 0.3 },
    params: { rounds: 200, learningRate: 0.1 },
    seed: 42,
    nFeatures: 41,
    trainRows: 2100,
    testRows: 900,
    fitSeconds: 3.42,
    createdAt: '2025-11-21T09:00:00.000Z',
    accuracy: 0.98333,
    macroF1: 0.98318,
    weightedF1: 0.98333,
    detectionRate: 0.97857,
    falsePositiveRate: 0.0125,
    ...over,
  };
}

export function modelDetail(over: Partial<ModelDetail> = {}): ModelDetail {
  return {
    ...summaryOf(),
    metrics: metrics(binaryLabels, binaryMatrix),
    curves: [curveSet('benign', 10), curveSet('attack', 14)],
    importance: Array.from({ length: 30 }, (_, i) => ({ feature: `feature_${i}`, importance: (30 - i) / 465 })),
    history: Array.from({ length: 40 }, (_, i) => ({ round: i + 1, train: 0.6 * Math.exp(-i / 8) + 0.02, valid: 0.6 * Math.exp(-i / 9) + 0.04 })),
    crossValidation: null,
    threshold: null,
    oobScore: null,
    features: Array.from({ length: 41 }, (_, i) => `feature_${i}`),
    predictRowsPerSecond: 1_250_000,
    bytes: 412_000,
    formatVersion: 1,
    ...over,
  };
}

/** A DNN trained for 14 epochs with early stopping that kept epoch 8; no feature importance. */
export function neuralDetail(over: Partial<ModelDetail> = {}): ModelDetail {
  return modelDetail({
    id: 4,
    name: 'DNN · NSL-KDD · binary',
    kind: 'dnn',
    params: { units: 256, layers: 3, epochs: 40, batchSize: 256 },
    importance: [],
    history: Array.from({ length: 14 }, (_, i) => ({ round: i + 1, train: 0.5 * Math.exp(-i / 4) + 0.03, valid: 0.5 * Math.exp(-i / 5) + 0.05 + (i > 7 ? (i - 7) * 0.004 : 0) })),
    neural: { backend: 'wasm', backendLabel: 'WebAssembly (SIMD)', epochSeconds: 0.87, epochsRun: 14, bestEpoch: 8, finalLearningRate: 0.0005, parameters: 74_562 },
    ...over,
  });
}

/** n classes with a heavy benign class, a few common attacks and a long tail of rare ones. */
export function manyClasses(n: number): { labels: string[]; matrix: number[][] } {
  const labels = Array.from({ length: n }, (_, i) => (i === 0 ? 'BENIGN' : `Attack family number ${i} with a long name`));
  const matrix = labels.map((_, i) => {
    const support = i === 0 ? 20000 : Math.max(3, Math.round(4000 / (i * i)));
    const row = new Array<number>(n).fill(0);
    row[i] = Math.round(support * (i % 5 === 4 ? 0.4 : 0.93));
    row[0]! += Math.round(support * 0.04);
    if (n > 1) row[(i + 1) % n]! += support - row.reduce((a, b) => a + b, 0);
    return row;
  });
  return { labels, matrix };
}

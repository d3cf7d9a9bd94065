/**
 * One block of parsed flows through the model: preprocessing, prediction, the threshold, and the
 * flagged flows grouped by (source IP, class) within the aggregation window. Runs wherever the
 * flows were parsed (the monitor thread, or a replay range thread), so only the groups — not
 * every flow — travel on to the writer.
 */
import type { ColumnBatch, ImportSummary } from '../../../ml-core/data/types.js';
import type { RawFrame } from '../../../ml-core/preprocess/types.js';
import { assertSchema, decide, isNeuralModel, predictBundle, type ModelBundle } from '../training/model-bundle.js';
import { frameOfBatches } from '../training/score-file.js';
import { transform } from '../../../ml-core/preprocess/pipeline.js';
import { toRowMajor } from '../../../ml-core/models/matrix.js';
import { decodeFlowIds, type FlowIds } from '../sources/flow-ids.js';
import { FINE_BINS, fineBin } from './threshold.js';

export type FeatureRecord = Record<string, number | string | null>;

/** Flagged flows of one (source IP, class) that fall within one window. */
export interface AlertGroup {
  srcIp: string | null;
  dstIp: string | null;
  srcPort: number | null;
  dstPort: number | null;
  protocol: string | null;
  classIdx: number;
  /** flow time, ms since the epoch */
  first: number;
  last: number;
  count: number;
  /** highest score; the identifiers and features are that flow's */
  score: number;
  features: FeatureRecord;
}

export interface BlockResult {
  flows: number;
  flagged: number;
  /** FINE_BINS counts of every flow's score */
  histogram: Float64Array;
  groups: AlertGroup[];
  /** Date.now() when the block's bytes were read */
  readAt: number;
}

export interface ScoreSettings {
  /** null: the model's own decision */
  threshold: number | null;
  windowMs: number;
  /** flow time for flows without one (ms) */
  fallbackTime: number;
  dataName: string;
}

/** A model ready to score blocks: classes, which one is benign, the anomaly class. */
export class BlockScorer {
  readonly classes: string[];
  readonly benign: number;
  readonly anomaly: boolean;
  private readonly featureNames: string[];

  constructor(readonly bundle: ModelBundle) {
    this.classes = bundle.manifest.classes;
    this.benign = bundle.manifest.benign;
    this.anomaly = bundle.model.link === 'anomaly';
    this.featureNames = bundle.manifest.features.map((f) => f.name);
  }

  /** the anomaly model's stored threshold, or null (classifiers decide by class) */
  modelThreshold(): number | null {
    return this.anomaly ? (this.bundle.model.threshold ?? 0.5) : null;
  }

  scoreParsed(summary: ImportSummary, batches: ColumnBatch[], s: ScoreSettings & { readAt: number }): BlockResult {
    const frame = frameOfBatches(summary, batches);
    const ids = decodeFlowIds(summary, batches);
    return this.scoreFrame(frame, ids, s);
  }

  scoreFrame(frame: RawFrame, ids: FlowIds, s: ScoreSettings & { readAt: number }): BlockResult {
    const n = frame.nSamples;
    const histogram = new Float64Array(FINE_BINS);
    if (n === 0) return { flows: 0, flagged: 0, histogram, groups: [], readAt: s.readAt };
    assertSchema(this.bundle, frame, s.dataName);
    const k = this.classes.length;
    const X = toRowMajor(transform(this.bundle.manifest.preprocessor, frame, null));
    if (isNeuralModel(this.bundle.model) && !this.bundle.tf) throw new Error('prepareBundle first');
    const proba = predictBundle(this.bundle, X);
    const pred = new Int32Array(n);
    const score = new Float32Array(n);
    decide(this.bundle, proba, n, pred, score);

    const t = s.threshold ?? this.modelThreshold();
    const benign = this.benign;
    const groups: AlertGroup[] = [];
    const open = new Map<string, AlertGroup>();
    const rowOf = new Map<AlertGroup, number>();
    let flagged = 0;
    for (let i = 0; i < n; i++) {
      const sc = score[i]!;
      histogram[fineBin(sc)]++;
      let cls: number;
      if (this.anomaly) {
        if (sc < t!) continue;
        cls = benign === 1 ? 0 : 1;
      } else if (t === null) {
        cls = pred[i]!;
        if (cls === benign) continue;
      } else {
        if (sc < t) continue;
        cls = pred[i]!;
        if (cls === benign) {
          // above the threshold but benign is the likeliest class: the likeliest attack class
          let best = -1;
          for (let c = 0; c < k; c++) if (c !== benign && (best < 0 || proba[i * k + c]! > proba[i * k + best]!)) best = c;
          if (best < 0) continue;
          cls = best;
        }
      }
      flagged++;
      const time = Number.isFinite(ids.time[i]!) ? ids.time[i]! : s.fallbackTime;
      const src = ids.srcIp[i] ?? null;
      const key = `${src}\u0000${cls}`;
      let g = open.get(key);
      if (g && (time > g.last + s.windowMs || time < g.first - s.windowMs)) g = undefined;
      if (!g) {
        g = { srcIp: src, dstIp: null, srcPort: null, dstPort: null, protocol: null, classIdx: cls, first: time, last: time, count: 0, score: -1, features: {} };
        groups.push(g);
        open.set(key, g);
      }
      g.count++;
      if (time < g.first) g.first = time;
      if (time > g.last) g.last = time;
      if (sc > g.score) {
        g.score = sc;
        rowOf.set(g, i);
      }
    }
    for (const g of groups) {
      const i = rowOf.get(g)!;
      g.dstIp = ids.dstIp[i] ?? null;
      g.srcPort = ids.srcPort[i]! >= 0 ? ids.srcPort[i]! : null;
      g.dstPort = ids.dstPort[i]! >= 0 ? ids.dstPort[i]! : null;
      g.protocol = ids.protocol[i] ?? null;
      g.features = this.featuresOf(frame, i);
    }
    return { flows: n, flagged, histogram, groups, readAt: s.readAt };
  }

  /** The model's input values of row i (numbers; categories as text; null when missing). */
  featuresOf(frame: RawFrame, i: number): FeatureRecord {
    const out: FeatureRecord = {};
    for (const name of this.featureNames) {
      const c = frame.columns.find((col) => col.name === name);
      if (!c) {
        out[name] = null;
      } else if (c.kind === 'numeric') {
        const v = c.values[i]!;
        out[name] = Number.isFinite(v) ? v : null;
      } else {
        const code = c.codes[i]!;
        out[name] = code >= 0 ? (c.categories[code] ?? null) : null;
      }
    }
    return out;
  }
}

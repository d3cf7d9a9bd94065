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
import { transformInto } from '../../../ml-core/preprocess/pipeline.js';
import { toRowMajorInto } from '../../../ml-core/models/matrix.js';
import { decodeFlowIds, flowIdColumns, type FlowIds } from '../sources/flow-ids.js';
import type { ColumnSpec } from '../../../ml-core/data/types.js';
import { FINE_BINS, fineBin } from './threshold.js';

export type FeatureRecord = Record<string, number | string | null>;

/** The representative flow of a group: the highest-scoring one (its identifiers and input values). */
export interface GroupRep {
  dstIp: string | null;
  srcPort: number | null;
  dstPort: number | null;
  protocol: string | null;
  features: FeatureRecord;
}

/**
 * Flagged flows of one block grouped by (source IP, class, window): one entry per group, in
 * typed columns. Windows are tumbling: window = floor(flow time / aggregation window). A group's
 * representative flow is sent only the first time this scorer meets its key (rep -1 afterwards:
 * the alert it belongs to has one already), so repeated keys cost a few numbers, not a record.
 */
export interface GroupTable {
  n: number;
  srcIp: Array<string | null>;
  classIdx: Int32Array;
  /** window index (>= 0); a negative number: the flow is an alert of its own (no aggregation, or no source address) */
  window: Float64Array;
  /** flow time, ms since the epoch */
  first: Float64Array;
  last: Float64Array;
  count: Int32Array;
  /** highest score */
  score: Float32Array;
  /** index into reps, -1 when this scorer sent the key's representative before */
  rep: Int32Array;
  reps: GroupRep[];
}

export interface BlockResult {
  flows: number;
  flagged: number;
  /** FINE_BINS counts of every flow's score */
  histogram: Float64Array;
  groups: GroupTable;
  /** Date.now() when the block's bytes were read */
  readAt: number;
}

export interface ScoreSettings {
  /** null: the model's own decision */
  threshold: number | null;
  /** aggregation window; 0 = every flagged flow is its own alert */
  windowMs: number;
  /** flow time for flows without one (ms) */
  fallbackTime: number;
  dataName: string;
}

/** Keys whose representative a scorer remembers having sent (beyond: sent again, harmless). */
const MAX_SEEN = 1 << 20;

export function groupKey(src: string | null, classIdx: number, window: number): string {
  return `${src ?? ''}\u0000${classIdx}\u0000${window}`;
}

function emptyGroups(): GroupTable {
  return { n: 0, srcIp: [], classIdx: new Int32Array(0), window: new Float64Array(0), first: new Float64Array(0), last: new Float64Array(0), count: new Int32Array(0), score: new Float32Array(0), rep: new Int32Array(0), reps: [] };
}

/** The typed buffers of a result, for postMessage's transfer list. */
export function transferables(r: BlockResult): ArrayBuffer[] {
  const g = r.groups;
  return [r.histogram, g.classIdx, g.window, g.first, g.last, g.count, g.score, g.rep].map((a) => a.buffer as ArrayBuffer);
}

/** A model ready to score blocks: classes, which one is benign, the anomaly class. */
export class BlockScorer {
  readonly classes: string[];
  readonly benign: number;
  readonly anomaly: boolean;
  private readonly featureNames: string[];
  private readonly seen = new Set<string>();
  private uniqueWindow = -1;
  private colBuf = new Float32Array(0);
  private rowBuf = new Float32Array(0);

  constructor(readonly bundle: ModelBundle) {
    this.classes = bundle.manifest.classes;
    this.benign = bundle.manifest.benign;
    this.anomaly = bundle.model.link === 'anomaly';
    this.featureNames = bundle.manifest.features.map((f) => f.name);
  }

  /** the columns a source must read for this model: its inputs and the flow identifiers (ChunkParser's keep) */
  readonly keep = (columns: ColumnSpec[]): ReadonlySet<string> => {
    const names = new Set(this.featureNames);
    for (const i of Object.values(flowIdColumns(columns))) if (i !== undefined) names.add(columns[i]!.name);
    return names;
  };

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
    if (n === 0) return { flows: 0, flagged: 0, histogram, groups: emptyGroups(), readAt: s.readAt };
    assertSchema(this.bundle, frame, s.dataName);
    const k = this.classes.length;
    // the preprocessed block, in buffers kept between blocks (less garbage at full speed)
    const pre = this.bundle.manifest.preprocessor;
    const nOut = pre.outputNames.length;
    if (this.colBuf.length < n * nOut) {
      this.colBuf = new Float32Array(n * nOut);
      this.rowBuf = new Float32Array(n * nOut);
    }
    const cm = { data: this.colBuf.subarray(0, n * nOut), nSamples: n, nFeatures: nOut };
    transformInto(pre, frame, null, cm);
    const X = toRowMajorInto(cm, this.rowBuf);
    if (isNeuralModel(this.bundle.model) && !this.bundle.tf) throw new Error('prepareBundle first');
    const proba = predictBundle(this.bundle, X);
    const pred = new Int32Array(n);
    const score = new Float32Array(n);
    decide(this.bundle, proba, n, pred, score);

    const t = s.threshold ?? this.modelThreshold();
    const benign = this.benign;
    const anomalyClass = benign === 1 ? 0 : 1;
    // per flagged row: its class (-1: not flagged)
    const cls = new Int32Array(n);
    let flagged = 0;
    for (let i = 0; i < n; i++) {
      const sc = score[i]!;
      histogram[fineBin(sc)]++;
      let c: number;
      if (this.anomaly) {
        c = sc >= t! ? anomalyClass : -1;
      } else if (t === null) {
        c = pred[i]! === benign ? -1 : pred[i]!;
      } else if (sc < t) {
        c = -1;
      } else {
        c = pred[i]!;
        if (c === benign) {
          // above the threshold but benign is the likeliest class: the likeliest attack class
          let best = -1;
          for (let j = 0; j < k; j++) if (j !== benign && (best < 0 || proba[i * k + j]! > proba[i * k + best]!)) best = j;
          c = best;
        }
      }
      cls[i] = c;
      if (c >= 0) flagged++;
    }
    if (flagged === 0) return { flows: n, flagged: 0, histogram, groups: emptyGroups(), readAt: s.readAt };

    // group the flagged rows: (source, class, window) -> group index
    const w = s.windowMs;
    const srcIds = new Map<string | null, number>();
    const byWindow = new Map<number, Map<number, number>>();
    const gSrc: Array<string | null> = [];
    const gCls: number[] = [];
    const gWin: number[] = [];
    const gFirst: number[] = [];
    const gLast: number[] = [];
    const gCount: number[] = [];
    const gScore: number[] = [];
    const gRow: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = cls[i]!;
      if (c < 0) continue;
      const tm = ids.time[i]!;
      const time = tm === tm ? tm : s.fallbackTime;
      const src = ids.srcIp[i] ?? null;
      let sid = srcIds.get(src);
      if (sid === undefined) {
        sid = srcIds.size;
        srcIds.set(src, sid);
      }
      // flows without a source address (NSL-KDD, some CSVs) are not "the same source": one alert each
      const win = w > 0 && src !== null ? Math.floor(time / w) : this.uniqueWindow--;
      let inner = byWindow.get(win);
      if (!inner) byWindow.set(win, (inner = new Map()));
      const key = sid * k + c;
      let g = inner.get(key);
      if (g === undefined) {
        g = gSrc.length;
        inner.set(key, g);
        gSrc.push(src);
        gCls.push(c);
        gWin.push(win);
        gFirst.push(time);
        gLast.push(time);
        gCount.push(0);
        gScore.push(-1);
        gRow.push(i);
      }
      gCount[g]++;
      if (time < gFirst[g]!) gFirst[g] = time;
      if (time > gLast[g]!) gLast[g] = time;
      if (score[i]! > gScore[g]!) {
        gScore[g] = score[i]!;
        gRow[g] = i;
      }
    }
    const m = gSrc.length;
    const rep = new Int32Array(m).fill(-1);
    const reps: GroupRep[] = [];
    let columns: Array<RawFrame['columns'][number] | undefined> | null = null;
    for (let g = 0; g < m; g++) {
      const key = groupKey(gSrc[g]!, gCls[g]!, gWin[g]!);
      const shared = gWin[g]! >= 0;
      if (shared && this.seen.has(key)) continue;
      if (shared) {
        if (this.seen.size >= MAX_SEEN) this.seen.clear();
        this.seen.add(key);
      }
      if (!columns) {
        const byName = new Map(frame.columns.map((c) => [c.name, c]));
        columns = this.featureNames.map((f) => byName.get(f));
      }
      const i = gRow[g]!;
      rep[g] = reps.length;
      reps.push({
        dstIp: ids.dstIp[i] ?? null,
        srcPort: ids.srcPort[i]! >= 0 ? ids.srcPort[i]! : null,
        dstPort: ids.dstPort[i]! >= 0 ? ids.dstPort[i]! : null,
        protocol: ids.protocol[i] ?? null,
        features: this.featuresOf(columns, i),
      });
    }
    return {
      flows: n,
      flagged,
      histogram,
      readAt: s.readAt,
      groups: {
        n: m,
        srcIp: gSrc,
        classIdx: Int32Array.from(gCls),
        window: Float64Array.from(gWin),
        first: Float64Array.from(gFirst),
        last: Float64Array.from(gLast),
        count: Int32Array.from(gCount),
        score: Float32Array.from(gScore),
        rep,
        reps,
      },
    };
  }

  /** The model's input values of row i (numbers; categories as text; null when missing). */
  private featuresOf(columns: Array<RawFrame['columns'][number] | undefined>, i: number): FeatureRecord {
    const out: FeatureRecord = {};
    for (let f = 0; f < columns.length; f++) {
      const c = columns[f];
      const name = this.featureNames[f]!;
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

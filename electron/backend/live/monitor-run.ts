/**
 * The body of a monitor thread: read the source, score blocks of flows, merge the flagged ones
 * into alerts, commit (alerts + cursor + counters in one transaction) at most every COMMIT_MS or
 * whenever the source goes quiet, and report to the main thread. Pause / stop arrive through a
 * shared control word; threshold changes as messages.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { FlowsightError } from '../../contract/errors.js';
import type { AlertEvent, MonitorSource, MonitorStats, ThresholdSpec } from '../../contract/live.js';
import type { ColumnBatch, ImportSummary } from '../../../ml-core/data/types.js';
import type { RawFrame } from '../../../ml-core/preprocess/types.js';
import type { Db } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { ChunkParser } from '../sources/chunk-parser.js';
import { FileTail } from '../sources/tail.js';
import { FolderSource } from '../sources/folder.js';
import { decodeFlowIds, type FlowIds } from '../sources/flow-ids.js';
import { Pacer } from '../sources/replay-pace.js';
import { decodeBundle, prepareBundle } from '../training/model-bundle.js';
import { frameOfBatches } from '../training/score-file.js';
import { AlertWriter, type SuppressionCheck } from './alert-writer.js';
import { RunState } from './run-state.js';
import { fixedThreshold } from './threshold.js';
import { BlockScorer, type BlockResult, type GroupTable } from './score-block.js';
import { rangeChunks, readHead, splitRanges } from './range-reader.js';
import { activeRules, firstMatchingRule } from './suppression.js';

export const CONTROL_RUN = 0;
export const CONTROL_PAUSE = 1;
export const CONTROL_STOP = 2;

/** Commit at most this often while flows keep coming (the source going quiet commits at once). */
const COMMIT_MS = 100;
/** Rows per block of a stored dataset replay. */
const DATASET_BLOCK = 16384;

export interface MonitorRunConfig {
  workspacePath: string;
  monitorId: number;
  modelId: number | null;
  modelName: string;
  modelFile: Uint8Array;
  source: MonitorSource;
  threshold: ThresholdSpec;
  /** fpr mode: the calibrated score threshold */
  calibrated: number | null;
  aggregateSeconds: number;
  cursor: Record<string, unknown>;
  stats: MonitorStats | null;
  /** Int32Array(1): CONTROL_RUN / PAUSE / STOP */
  control: SharedArrayBuffer;
  /** replay threads for a max-speed file replay (default: cores) */
  replayThreads?: number;
}

export type MonitorMessage =
  | { type: 'events'; events: AlertEvent[] }
  | { type: 'stats'; stats: MonitorStats; thresholdValue: number | null; paused: boolean }
  | { type: 'finished' }
  | { type: 'stopped' }
  | { type: 'failed'; code: string; message: string };

export interface MonitorIo {
  db: Db;
  post(m: MonitorMessage): void;
  /** starts a thread scoring one byte range of a file (max-speed replays) */
  spawnRange?(data: RangeWorkerData, onBlock: (m: RangeMessage) => void): { done: Promise<void>; setThreshold(t: number | null): void };
}

export interface RangeWorkerData {
  file: string;
  /** byte ranges of the file (each starting at a line); the threads take them in turn */
  ranges: Array<{ start: number; end: number }>;
  /** Int32Array(1): the next range to take, shared by the threads */
  next: SharedArrayBuffer;
  modelFile: Uint8Array;
  threshold: number | null;
  windowMs: number;
  control: SharedArrayBuffer;
}

export type RangeMessage =
  | { type: 'block'; result: BlockResult; bytes: number }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

function suppressionOf(db: Db): () => SuppressionCheck {
  return () => {
    const rules = activeRules(db, Date.now());
    if (!rules.length) return () => null;
    return (a) => firstMatchingRule(rules, a);
  };
}

export class MonitorRun {
  private readonly ctrl: Int32Array;
  private scorer!: BlockScorer;
  private writer!: AlertWriter;
  private state!: RunState;
  private pending: GroupTable[] = [];
  private pendingReadAt: number | null = null;
  private cursor: Record<string, unknown>;
  private lastCommit = 0;
  private readonly windowMs: number;
  /** commit interval while flows keep coming (a full-speed replay commits less often) */
  private commitMs = COMMIT_MS;

  constructor(private readonly cfg: MonitorRunConfig, private readonly io: MonitorIo) {
    this.ctrl = new Int32Array(cfg.control);
    this.cursor = { ...cfg.cursor };
    this.windowMs = cfg.aggregateSeconds * 1000;
  }

  setThreshold(spec: ThresholdSpec, calibrated: number | null): void {
    if (!this.state) {
      this.cfg.threshold = spec;
      this.cfg.calibrated = calibrated;
      return;
    }
    // range threads of a full-speed replay follow it from their commit loop (replayFileParallel)
    this.state.setThreshold(spec, calibrated);
    this.postStats();
  }

  async run(): Promise<void> {
    const src0 = this.cfg.source;
    // a full-speed file replay: the range threads start (and decode the model) while this one does
    const ranges = src0.kind === 'replay' && src0.path !== undefined && src0.speed === 'max' && this.io.spawnRange ? this.spawnRanges(src0.path) : null;
    const bundle = await prepareBundle(decodeBundle(this.cfg.modelFile));
    this.scorer = new BlockScorer(bundle);
    this.state = new RunState(this.cfg.stats, this.cfg.threshold, this.cfg.calibrated, this.scorer.modelThreshold());
    this.writer = new AlertWriter(this.io.db, {
      monitorId: this.cfg.monitorId,
      modelId: this.cfg.modelId,
      modelName: this.cfg.modelName,
      classes: this.scorer.classes,
      windowMs: this.windowMs,
      suppression: suppressionOf(this.io.db),
    });
    this.state.running();
    const src = this.cfg.source;
    let finished = false;
    if (src.kind === 'file') await this.tailFile(src.path);
    else if (src.kind === 'folder') await this.watchFolder(src.path);
    else if (src.datasetId !== undefined) finished = await this.replayDataset(src.datasetId, src.speed);
    else if (ranges) finished = await this.replayFileParallel(ranges);
    else finished = await this.replayFile(src.path!, src.speed);
    this.flush(true);
    this.state.paused();
    this.postStats();
    this.io.post({ type: finished ? 'finished' : 'stopped' });
  }

  // ---- control -----------------------------------------------------------------------------------

  private get stopping(): boolean {
    return Atomics.load(this.ctrl, 0) === CONTROL_STOP;
  }

  /** waits while paused; false when told to stop */
  private async proceed(): Promise<boolean> {
    if (Atomics.load(this.ctrl, 0) === CONTROL_PAUSE) {
      this.flush(true);
      this.state.paused();
      this.postStats(true);
      while (Atomics.load(this.ctrl, 0) === CONTROL_PAUSE) await sleep(50);
      this.state.running();
      this.postStats();
    }
    return !this.stopping;
  }

  // ---- scoring and committing --------------------------------------------------------------------

  private take(r: BlockResult, bytes: number, cursor: Record<string, unknown> | null): void {
    this.state.add(r.flows, r.flagged, r.histogram, bytes);
    if (r.groups.n > 0) {
      this.pending.push(r.groups);
      if (this.pendingReadAt === null) this.pendingReadAt = r.readAt;
    }
    if (cursor) this.cursor = cursor;
    if (Date.now() - this.lastCommit >= this.commitMs) this.flush(false);
  }

  private scoreParsed(summary: ImportSummary, batches: ColumnBatch[], readAt: number, dataName: string): BlockResult {
    return this.scorer.scoreParsed(summary, batches, { threshold: this.state.threshold(), windowMs: this.windowMs, fallbackTime: readAt, dataName, readAt });
  }

  /** commits what is pending (always, when `force`: the counters and cursor too) */
  private flush(force: boolean): void {
    if (!force && this.pending.length === 0 && Date.now() - this.lastCommit < 1000) return;
    const groups = this.pending;
    this.pending = [];
    let flagged = 0;
    for (const g of groups) flagged += g.n;
    const readAt = this.pendingReadAt;
    this.pendingReadAt = null;
    this.state.refresh();
    let events: AlertEvent[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        events = this.writer.commit(groups, this.cursor, this.state.stats);
        break;
      } catch (err) {
        // another writer (an import) held the lock past the busy timeout. SQLITE_BUSY comes from
        // BEGIN IMMEDIATE, before the writer has changed anything in memory: the same commit can run again
        if ((err as { code?: string }).code === 'SQLITE_BUSY' && attempt < 60) continue;
        throw err;
      }
    }
    this.lastCommit = Date.now();
    this.state.committed(flagged ? readAt : null, this.lastCommit);
    if (events.length) this.io.post({ type: 'events', events });
    this.postStats();
  }

  private postStats(paused = false): void {
    this.io.post({ type: 'stats', stats: { ...this.state.stats, scoreHistogram: [...this.state.stats.scoreHistogram] }, thresholdValue: this.state.threshold(), paused });
  }

  private warn(message: string): void {
    this.state.stats.warning = message;
  }

  // ---- sources -----------------------------------------------------------------------------------

  private async tailFile(file: string): Promise<void> {
    const tail = new FileTail(file, { cursor: (this.cursor.tail as never) ?? null, fromStart: true });
    try {
      await this.follow(tail, () => file, new Map());
    } finally {
      tail.close();
    }
  }

  private async watchFolder(dir: string): Promise<void> {
    const folder = new FolderSource(dir, { cursor: (this.cursor.folder as never) ?? null });
    try {
      await this.follow(folder, (c) => (c as { path: string }).path, new Map());
    } finally {
      folder.close();
    }
  }

  /** the tail loop shared by a file and a folder */
  private async follow(
    src: FileTail | FolderSource,
    pathOf: (chunk: unknown) => string,
    parsers: Map<string, ChunkParser>,
  ): Promise<void> {
    const key = src instanceof FileTail ? 'tail' : 'folder';
    this.cursor[key] = src.cursor();
    for (;;) {
      if (!(await this.proceed())) return;
      const chunk = src.read();
      if (!chunk) {
        this.flush(this.pending.length > 0 || Date.now() - this.lastCommit > 1000);
        await src.waitForChange(250);
        continue;
      }
      const file = pathOf(chunk);
      let parser = parsers.get(file);
      if (!parser || chunk.newFile) {
        parser = new ChunkParser();
        const head = chunk.head ?? (src instanceof FileTail ? src.head() : readHead(file));
        try {
          parser.begin(path.basename(file), head, chunk.fileSize, { keep: this.scorer.keep });
        } catch (err) {
          throw new FlowsightError('BAD_INPUT', `${file}: ${(err as Error).message}`);
        }
        parsers.set(file, parser);
      }
      this.state.stats.totalBytes = chunk.fileSize;
      let parsed: ReturnType<ChunkParser['parse']> | null = null;
      try {
        parsed = parser.parse(chunk.bytes, chunk.start);
        const bad = parsed.skipped.malformedRows + parsed.skipped.unreadableLines;
        if (bad > 0) {
          const s = this.state.stats;
          s.skippedLines = (s.skippedLines ?? 0) + bad;
          const first = parsed.skipped.samples[0];
          this.warn(
            `${s.skippedLines.toLocaleString('en-US')} line${s.skippedLines === 1 ? '' : 's'} skipped so far: not flow records of this layout` +
              (first ? ` (latest: ${path.basename(file)}, a line with ${first.fields} fields where ${first.expected} were expected)` : ` (latest in ${path.basename(file)})`),
          );
        }
      } catch (err) {
        this.warn(`${path.basename(file)} bytes ${chunk.start}-${chunk.end}: ${(err as Error).message} (skipped)`);
      }
      const result = parsed
        ? this.scoreParsed(parsed.summary, parsed.batches, chunk.readAt, file)
        : { flows: 0, flagged: 0, histogram: new Float64Array(0), groups: { n: 0 } as GroupTable, readAt: chunk.readAt };
      this.take(result, chunk.bytes.length, { ...this.cursor, [key]: src.cursor() });
      await yieldNow();
    }
  }

  /** a file at N x its flow times (or 'max' without replay threads): one pass, in order */
  private async replayFile(file: string, speed: 'max' | number): Promise<boolean> {
    const parser = new ChunkParser();
    const head = readHead(file);
    parser.begin(path.basename(file), head, head.length, { keep: this.scorer.keep });
    const pacer = new Pacer(speed);
    this.state.stats.totalBytes = statSync(file).size;
    for (const { bytes, offset } of rangeChunks(file, 0, this.state.stats.totalBytes)) {
      if (!(await this.proceed())) return false;
      const readAt = Date.now();
      const { summary, batches } = parser.parse(bytes, offset);
      const frame = frameOfBatches(summary, batches);
      const ids = decodeFlowIds(summary, batches);
      if (!(await this.paced(frame, ids, pacer, bytes.length, file, readAt))) return false;
    }
    return true;
  }

  /** scores a block in slices that follow the pacer; false when stopped */
  private async paced(frame: RawFrame, ids: FlowIds, pacer: Pacer, bytes: number, dataName: string, readAt: number): Promise<boolean> {
    const n = frame.nSamples;
    let a = 0;
    while (a < n) {
      let b = a;
      const now = Date.now();
      while (b < n && pacer.delayFor(ids.time[b]!, now) <= 0) b++;
      if (b === a) {
        // the next flow is due later: wait for it (in short steps, to stay stoppable)
        const wait = pacer.delayFor(ids.time[a]!, now);
        this.flush(this.pending.length > 0);
        await sleep(Math.min(wait, 200));
        if (!(await this.proceed())) return false;
        continue;
      }
      const t = Date.now();
      const r = this.scorer.scoreFrame(sliceFrame(frame, a, b), sliceIds(ids, a, b), {
        threshold: this.state.threshold(),
        windowMs: this.windowMs,
        fallbackTime: t,
        dataName,
        readAt: a === 0 ? readAt : t,
      });
      this.take(r, b === n ? bytes : 0, null);
      a = b;
      await yieldNow();
      if (!(await this.proceed())) return false;
    }
    return true;
  }

  private async replayDataset(datasetId: number, speed: 'max' | number): Promise<boolean> {
    const repo = new DatasetsRepo(this.io.db);
    if (!repo.exists(datasetId)) throw new FlowsightError('NOT_FOUND', `Dataset ${datasetId} does not exist.`);
    const summary = repo.summary(datasetId);
    const columns = repo.columns(datasetId);
    const pacer = new Pacer(speed);
    const specs = columns.map((c) => ({
      name: c.name,
      sourceName: c.sourceName,
      role: c.role,
      storage: c.storage,
      stats: c.stats,
      dictionary: c.storage === 'dict' ? repo.dictionary(datasetId, c.index) : null,
    }));
    const start = typeof this.cursor.row === 'number' ? this.cursor.row : 0;
    for (let s = start, e = 0; s < summary.rows; s = e) {
      if (!(await this.proceed())) return false;
      // a budget places its threshold after 1,000 flows: the first ones go in small blocks
      const block = this.state.thresholdSpec.mode === 'budget' && this.state.stats.flows < 1000 ? 500 : DATASET_BLOCK;
      e = Math.min(summary.rows, s + block);
      const readAt = Date.now();
      const batch: ColumnBatch = { rowStart: 0, nRows: e - s, columns: columns.map((c) => repo.readRange(datasetId, c, s, e)) };
      const sum = { rows: e - s, columns: specs } as unknown as ImportSummary;
      const frame = frameOfBatches(sum, [batch]);
      const ids = decodeFlowIds(sum, [batch]);
      this.cursor = { ...this.cursor, row: e };
      if (!(await this.paced(frame, ids, pacer, 0, `Dataset "${summary.name}"`, readAt))) return false;
    }
    return true;
  }

  /** the range threads of a full-speed file replay, one per core (blocks wait in `early` until the writer exists) */
  private spawnRanges(file: string): {
    workers: Array<ReturnType<NonNullable<MonitorIo['spawnRange']>>>;
    size: number;
    failure: () => { code: string; message: string } | null;
    drain: () => void;
  } {
    const size = statSync(file).size;
    const threads = Math.max(1, this.cfg.replayThreads ?? 1);
    // more ranges than threads, taken in turn: a thread that gets less CPU time takes fewer
    const parts = size >= 8 * 1024 * 1024 ? Math.min(threads * 8, Math.floor(size / (4 * 1024 * 1024))) : 1;
    const ranges = splitRanges(file, Math.max(1, parts));
    const next = new SharedArrayBuffer(4);
    let failure: { code: string; message: string } | null = null;
    const early: Array<{ result: BlockResult; bytes: number }> = [];
    const workers = Array.from({ length: Math.min(threads, ranges.length) }, () =>
      this.io.spawnRange!(
        { file, ranges, next, modelFile: this.cfg.modelFile, threshold: fixedThreshold(this.cfg.threshold, this.cfg.calibrated), windowMs: this.windowMs, control: this.cfg.control },
        (m) => {
          if (m.type === 'block') {
            if (!this.state) early.push(m);
            else {
              for (const e of early.splice(0)) this.take(e.result, e.bytes, null);
              this.take(m.result, m.bytes, null);
            }
          } else if (m.type === 'failed' && !failure) {
            failure = { code: m.code, message: m.message };
            Atomics.store(this.ctrl, 0, CONTROL_STOP);
          }
        },
      ),
    );
    return { workers, size, failure: () => failure, drain: () => early.splice(0).forEach((e) => this.take(e.result, e.bytes, null)) };
  }

  /** a max-speed replay of a file: byte ranges parsed and scored by parallel threads */
  private async replayFileParallel(r: ReturnType<MonitorRun['spawnRanges']>): Promise<boolean> {
    const { workers, size } = r;
    this.state.stats.totalBytes = size;
    r.drain();
    this.commitMs = 4 * COMMIT_MS;
    // pause/resume are seen by the range threads through the same control word; here: commit while they run
    let done = false;
    const all = Promise.all(workers.map((w) => w.done)).then(() => (done = true));
    let sent = this.state.threshold();
    let paused = false;
    while (!done) {
      await Promise.race([all, sleep(this.commitMs)]);
      if (this.pending.length) this.flush(false);
      // the range threads pause themselves (same control word); here the clock and the report follow
      const nowPaused = Atomics.load(this.ctrl, 0) === CONTROL_PAUSE;
      if (nowPaused !== paused) {
        paused = nowPaused;
        if (paused) {
          this.flush(true);
          this.state.paused();
          this.postStats(true);
        } else {
          this.state.running();
          this.postStats();
        }
      }
      // a budget threshold moves with the flows seen: the range threads follow it
      const t = this.state.threshold();
      if (t !== sent) {
        sent = t;
        workers.forEach((w) => w.setThreshold(t));
      }
    }
    const failure = r.failure();
    if (failure) throw new FlowsightError(failure.code as never, failure.message);
    return !this.stopping;
  }
}

export function sliceFrame(frame: RawFrame, a: number, b: number): RawFrame {
  if (a === 0 && b === frame.nSamples) return frame;
  return {
    nSamples: b - a,
    columns: frame.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.subarray(a, b) } : { ...c, codes: c.codes.subarray(a, b) })),
  };
}

export function sliceIds(ids: FlowIds, a: number, b: number): FlowIds {
  if (a === 0 && b === ids.time.length) return ids;
  return {
    time: ids.time.subarray(a, b),
    srcIp: ids.srcIp.slice(a, b),
    dstIp: ids.dstIp.slice(a, b),
    srcPort: ids.srcPort.subarray(a, b),
    dstPort: ids.dstPort.subarray(a, b),
    protocol: ids.protocol.slice(a, b),
  };
}

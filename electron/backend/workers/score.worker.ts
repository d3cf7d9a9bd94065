/** Evaluate (a stored dataset) or score (a flow file into a CSV) with a stored model, off the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import type { EvaluateResult, ScoreResult } from '../../contract/dto.js';
import { openWorkerConnection } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { ModelsRepo } from '../db/models.repo.js';
import { serializeError } from '../errors.js';
import { CancelFlag } from '../jobs/cancel.js';
import { messenger } from '../jobs/worker-job.js';
import { evaluateDataset, scoreFile } from '../training/score-file.js';

export type ScoreWorkerData =
  | { op: 'evaluate'; workspacePath: string; modelId: number; datasetId: number; cancel: SharedArrayBuffer }
  | { op: 'score'; workspacePath: string; modelId: number; path: string; out: string; cancel: SharedArrayBuffer };

const data = workerData as ScoreWorkerData;
const send = messenger<EvaluateResult | ScoreResult>((m) => parentPort!.postMessage(m));

async function main(): Promise<void> {
  const db = openWorkerConnection(data.workspacePath);
  try {
    const io = { models: new ModelsRepo(db), datasets: new DatasetsRepo(db), progress: send.progress, cancel: new CancelFlag(data.cancel) };
    send.done(data.op === 'evaluate' ? await evaluateDataset(data.modelId, data.datasetId, io) : await scoreFile(data.modelId, data.path, data.out, io));
  } finally {
    db.close();
  }
}

main().catch((err) => send.failed(serializeError(err, data.op === 'evaluate' ? 'Evaluation failed' : 'Scoring failed')));

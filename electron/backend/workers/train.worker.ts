/**
 * A training job's thread: its own SQLite connection reads the dataset, runTraining fits and
 * evaluates (forests fan out to forest workers), and the model is stored in one short
 * transaction. Nothing is written unless training finished; a cancel leaves nothing behind.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { FitCancelled } from '../../../ml-core/models/types.js';
import type { TrainResult } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import { openWorkerConnection } from '../db/connection.js';
import { DatasetsRepo } from '../db/datasets.repo.js';
import { ModelsRepo } from '../db/models.repo.js';
import { serializeError } from '../errors.js';
import { CancelFlag } from '../jobs/cancel.js';
import { messenger, type WorkerJobMessage } from '../jobs/worker-job.js';
import { threadedForests } from '../training/forest-runner.js';
import { runTraining, type TrainRequest } from '../training/train-pipeline.js';

export interface TrainWorkerData {
  workspacePath: string;
  request: TrainRequest;
  cancel: SharedArrayBuffer;
  /** ports to the backend's forest threads (ForestPool.connect); without them the job starts its own */
  forestPorts?: MessagePort[];
  /** forest threads of its own, without forestPorts (default: every core) */
  threads?: number;
}

const data = workerData as TrainWorkerData;
const send = messenger<TrainResult>((m: WorkerJobMessage<TrainResult>) => parentPort!.postMessage(m));
const cancel = new CancelFlag(data.cancel);

async function main(): Promise<void> {
  // an import may hold the write lock for minutes: the model insert waits for it (this thread only)
  const db = openWorkerConnection(data.workspacePath, 30 * 60_000);
  try {
    const out = await runTraining(data.request, {
      datasets: new DatasetsRepo(db),
      progress: (p) => send.progress(p),
      isCancelled: () => cancel.cancelled,
      forests: threadedForests({
        cancel: data.cancel,
        ...(data.forestPorts ? { ports: data.forestPorts } : {}),
        ...(data.threads ? { threads: data.threads } : {}),
      }),
    });
    if (cancel.cancelled) throw new FitCancelled();
    const repo = new ModelsRepo(db);
    const modelId = repo.insert(out.model);
    send.done({
      modelId,
      model: data.request.model,
      target: out.model.summary.target,
      fitSeconds: out.fitSeconds,
      metrics: out.metrics,
      ...(out.neural ? { epochSeconds: out.neural.epochSeconds, backend: out.neural.backend } : {}),
    });
  } finally {
    db.close();
  }
}

main().catch((err) => {
  if (err instanceof FitCancelled || cancel.cancelled) {
    send.failed({ code: 'CANCELLED', message: 'Training was cancelled; no model was stored.' });
  } else if (err instanceof FlowsightError) {
    send.failed({ code: err.code, message: err.message });
  } else {
    send.failed(serializeError(err, 'Training failed'));
  }
});

/** models.* commands: the catalog, training, the stored models, evaluation and scoring jobs. */
import path from 'node:path';
import type { EvaluateResult, ScoreResult, TrainResult } from '../../contract/dto.js';
import { FlowsightError } from '../../contract/errors.js';
import { runWorkerJob } from '../jobs/worker-job.js';
import { modelCatalog, splitParams } from '../training/catalog.js';
import { KIND_NAMES } from '../training/kind-names.js';
import type { TrainRequest } from '../training/train-pipeline.js';
import type { ScoreWorkerData } from '../workers/score.worker.js';
import type { TrainWorkerData } from '../workers/train.worker.js';
import { ensureNotWriting } from './datasets.handlers.js';
import type { BackendContext, HandlerGroup } from './types.js';

export function modelsHandlers(ctx: BackendContext): HandlerGroup {
  return {
    'models.catalog': () => ({ kinds: modelCatalog() }),

    'models.train': (args) => {
      const dataset = ctx.datasets.summary(args.datasetId);
      if (!dataset.labelled) {
        throw new FlowsightError('BAD_INPUT', `Dataset "${dataset.name}" has no labels; models are trained and tested on labelled flows.`);
      }
      if (args.testDatasetId !== undefined) {
        const test = ctx.datasets.summary(args.testDatasetId);
        if (!test.labelled) throw new FlowsightError('BAD_INPUT', `Test dataset "${test.name}" has no labels to test against.`);
      }
      splitParams(args.model, args.params); // refuse bad parameters now, not in the worker
      const request: TrainRequest = {
        datasetId: args.datasetId,
        model: args.model,
        target: args.target,
        seed: args.seed,
        params: args.params,
        ...(args.testSize !== undefined ? { testSize: args.testSize } : {}),
        ...(args.testDatasetId !== undefined ? { testDatasetId: args.testDatasetId } : {}),
        ...(args.folds !== undefined ? { folds: args.folds } : {}),
        ...(args.name !== undefined ? { name: args.name } : {}),
      };
      const job = ctx.registry.start<TrainResult>({
        kind: 'train',
        title: `Train ${KIND_NAMES[args.model]} on ${dataset.name}`,
        writes: false,
        run: async (jc) => {
          // forests grow on the backend's forest threads (warm from earlier trainings)
          const forestPorts = args.model === 'extra-trees' || args.model === 'random-forest' ? ctx.forestPool.connect() : undefined;
          const data: TrainWorkerData = { workspacePath: ctx.workspacePath, request, cancel: jc.cancel.buffer, ...(forestPorts ? { forestPorts } : {}) };
          const result = await runWorkerJob<TrainResult>(
            'train',
            { workerData: data, ...(forestPorts ? { transferList: forestPorts } : {}) },
            jc,
            'Training',
            'Training was cancelled; no model was stored.',
          );
          ctx.emit({ name: 'models.changed', payload: { id: result.modelId, reason: 'trained' } });
          return result;
        },
      });
      return { jobId: job.id };
    },

    'models.list': ({ datasetId }) => ({ models: ctx.models.list(datasetId) }),

    'models.get': ({ id }) => ctx.models.detail(id),

    'models.delete': ({ id }) => {
      ensureNotWriting(ctx);
      ctx.models.delete(id);
      ctx.emit({ name: 'models.changed', payload: { id, reason: 'deleted' } });
      return { deleted: true as const };
    },

    'models.rename': ({ id, name }) => {
      ensureNotWriting(ctx);
      const m = ctx.models.rename(id, name);
      ctx.emit({ name: 'models.changed', payload: { id, reason: 'renamed' } });
      return m;
    },

    'models.evaluate': ({ id, datasetId }) => {
      const model = ctx.models.summary(id);
      const dataset = ctx.datasets.summary(datasetId);
      if (!dataset.labelled) throw new FlowsightError('BAD_INPUT', `Dataset "${dataset.name}" has no labels to evaluate against.`);
      const job = ctx.registry.start<EvaluateResult>({
        kind: 'evaluate',
        title: `Evaluate ${model.name} on ${dataset.name}`,
        writes: false,
        run: (jc) => {
          const data: ScoreWorkerData = { op: 'evaluate', workspacePath: ctx.workspacePath, modelId: id, datasetId, cancel: jc.cancel.buffer };
          return runWorkerJob<EvaluateResult>('score', { workerData: data }, jc, 'Evaluation', 'Evaluation was cancelled.');
        },
      });
      return { jobId: job.id };
    },

    'models.score': ({ id, path: input, out }) => {
      const model = ctx.models.summary(id);
      const job = ctx.registry.start<ScoreResult>({
        kind: 'score',
        title: `Score ${path.basename(input)} with ${model.name}`,
        writes: false,
        run: (jc) => {
          const data: ScoreWorkerData = { op: 'score', workspacePath: ctx.workspacePath, modelId: id, path: input, out, cancel: jc.cancel.buffer };
          return runWorkerJob<ScoreResult>('score', { workerData: data }, jc, 'Scoring', 'Scoring was cancelled; no output was written.');
        },
      });
      return { jobId: job.id };
    },
  };
}

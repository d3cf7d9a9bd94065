/** `flowsight evaluate --model ID --dataset ID [--json]` */
import type { EvaluateResult } from '../../contract/dto.js';
import { parseIdOption } from '../args.js';
import type { CliContext, GlobalFlags } from '../context.js';
import { evaluateSummary, jobProgressLine } from '../format.js';
import { runJob } from '../job-watch.js';

export const EVALUATE_CANCELLED_MESSAGE = 'Evaluation cancelled.';

export interface EvaluateFlags {
  model?: string;
  dataset?: string;
  json?: boolean;
}

export async function runEvaluate(ctx: CliContext, globals: GlobalFlags, flags: EvaluateFlags): Promise<number> {
  const id = parseIdOption('model', flags.model, 'model');
  const datasetId = parseIdOption('dataset', flags.dataset, 'dataset');
  const json = Boolean(flags.json);
  return runJob<EvaluateResult>(ctx, globals, {
    noun: 'evaluation',
    cancelledMessage: EVALUATE_CANCELLED_MESSAGE,
    progressLine: json ? null : (p, columns) => jobProgressLine('Evaluating', p, columns),
    start: (backend) => backend.call('models.evaluate', { id, datasetId }),
    finish: async (backend, result) => {
      if (json) {
        // the agreed keys first; modelId, datasetId, rows and anything else after them
        const { metrics, predictRowsPerSecond, ...rest } = result;
        ctx.stdout.write(JSON.stringify({ metrics, predictRowsPerSecond, ...rest }, null, 2) + '\n');
        return;
      }
      const [model, dataset] = await Promise.all([
        backend.call('models.get', { id }).then((m) => m.name, () => undefined),
        backend.call('datasets.get', { id: datasetId }).then((d) => d.name, () => undefined),
      ]);
      ctx.stdout.write(evaluateSummary(result, { model, dataset }));
    },
  });
}

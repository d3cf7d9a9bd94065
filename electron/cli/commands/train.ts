/** `flowsight train --dataset ID --model KIND [...]` */
import { MODEL_KINDS, TARGETS, type CommandInput } from '../../contract/commands.js';
import type { ModelDetail, TrainResult } from '../../contract/dto.js';
import { UsageError, parseIdOption, parseSetOptions } from '../args.js';
import type { CliContext, GlobalFlags } from '../context.js';
import { jobProgressLine, trainSummary } from '../format.js';
import { runJob } from '../job-watch.js';

export const TRAIN_CANCELLED_MESSAGE = 'Training cancelled; no model was stored.';

export interface TrainFlags {
  dataset?: string;
  model?: string;
  target?: string;
  testDataset?: string;
  testSize?: string;
  folds?: string;
  seed?: string;
  set?: string[];
  name?: string;
  json?: boolean;
}

type Kind = (typeof MODEL_KINDS)[number];
type Target = (typeof TARGETS)[number];

/** Checks every flag and builds the models.train input; usage errors (exit 2) before any workspace opens. */
export function trainInput(flags: TrainFlags): CommandInput<'models.train'> {
  if (flags.model === undefined) {
    throw new UsageError(`Option '--model' is required: one of ${MODEL_KINDS.join(', ')}.`);
  }
  if (!(MODEL_KINDS as readonly string[]).includes(flags.model)) {
    throw new UsageError(`Unknown model '${flags.model}'; use one of ${MODEL_KINDS.join(', ')}.`);
  }
  if (flags.target !== undefined && !(TARGETS as readonly string[]).includes(flags.target)) {
    throw new UsageError(`Unknown target '${flags.target}'; use one of ${TARGETS.join(', ')}.`);
  }
  const datasetId = parseIdOption('dataset', flags.dataset, 'dataset');

  const ways = [
    flags.testDataset !== undefined && '--test-dataset',
    flags.testSize !== undefined && '--test-size',
    flags.folds !== undefined && '--folds',
  ].filter((w): w is string => Boolean(w));
  if (ways.length > 1) {
    throw new UsageError(`Give only one of --test-dataset, --test-size and --folds (got ${ways.join(' and ')}).`);
  }

  const input: CommandInput<'models.train'> = {
    datasetId,
    model: flags.model as Kind,
    params: parseSetOptions(flags.set),
  };
  if (flags.target !== undefined) input.target = flags.target as Target;
  if (flags.testDataset !== undefined) input.testDatasetId = parseIdOption('test-dataset', flags.testDataset, 'dataset');
  if (flags.testSize !== undefined) input.testSize = parseTestSize(flags.testSize);
  if (flags.folds !== undefined) input.folds = parseFolds(flags.folds);
  if (flags.seed !== undefined) input.seed = parseSeed(flags.seed);
  if (flags.name !== undefined) {
    if (flags.name.trim() === '') throw new UsageError("Option '--name' needs a name.");
    input.name = flags.name;
  }
  return input;
}

function parseTestSize(text: string): number {
  const t = text.trim();
  const pct = t.endsWith('%');
  const v = Number(pct ? t.slice(0, -1) : t) / (pct ? 100 : 1);
  if (t === '' || t === '%' || !Number.isFinite(v) || v <= 0 || v >= 1) {
    throw new UsageError(`Option '--test-size' needs a share between 0 and 1 (such as 0.3), not '${text}'.`);
  }
  return v;
}

function parseFolds(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < 2 || Number(t) > 20) {
    throw new UsageError(`Option '--folds' needs a whole number from 2 to 20, not '${text}'.`);
  }
  return Number(t);
}

function parseSeed(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) > 2 ** 31 - 1) {
    throw new UsageError(`Option '--seed' needs a whole number from 0 to ${2 ** 31 - 1}, not '${text}'.`);
  }
  return Number(t);
}

export async function runTrain(ctx: CliContext, globals: GlobalFlags, flags: TrainFlags): Promise<number> {
  const input = trainInput(flags);
  const json = Boolean(flags.json);
  return runJob<TrainResult>(ctx, globals, {
    noun: 'training',
    cancelledMessage: TRAIN_CANCELLED_MESSAGE,
    progressLine: json ? null : (p, columns) => jobProgressLine('Training', p, columns),
    start: (backend) => backend.call('models.train', input),
    finish: async (backend, result) => {
      if (json) {
        // exactly TrainResult: the agreed keys first, in order; anything the backend adds after them
        const { modelId, model, target, fitSeconds, metrics, ...rest } = result;
        ctx.stdout.write(JSON.stringify({ modelId, model, target, fitSeconds, metrics, ...rest }, null, 2) + '\n');
        return;
      }
      // the name and how it was tested live with the stored model
      let detail: ModelDetail | undefined;
      try {
        detail = await backend.call('models.get', { id: result.modelId });
      } catch {
        detail = undefined;
      }
      ctx.stdout.write(trainSummary(result, detail));
    },
  });
}

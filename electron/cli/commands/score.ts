/** `flowsight score --model ID PATH --out FILE [--json]` */
import { resolve } from 'node:path';
import type { ScoreResult } from '../../contract/dto.js';
import { UsageError, parseIdOption } from '../args.js';
import type { CliContext, GlobalFlags } from '../context.js';
import { jobProgressLine, scoreSummary } from '../format.js';
import { runJob } from '../job-watch.js';
import { checkPathsExist } from './import.js';

export const SCORE_CANCELLED_MESSAGE = 'Scoring cancelled; no output was written.';

export interface ScoreFlags {
  model?: string;
  out?: string;
  json?: boolean;
}

export async function runScore(ctx: CliContext, globals: GlobalFlags, positionals: string[], flags: ScoreFlags): Promise<number> {
  const id = parseIdOption('model', flags.model, 'model');
  if (positionals.length === 0) {
    throw new UsageError("Say what to score: 'flowsight score --model ID PATH --out FILE'.");
  }
  if (positionals.length > 1) {
    throw new UsageError(`Score one file (or folder) at a time; got ${positionals.length}: ${positionals.join(', ')}.`);
  }
  if (flags.out === undefined || flags.out.trim() === '') {
    throw new UsageError("Option '--out' is required: the CSV file to write (--out FILE).");
  }
  // a typo should not open (or create) a workspace
  checkPathsExist(positionals, ctx.cwd);
  const path = resolve(ctx.cwd, positionals[0]!);
  const out = resolve(ctx.cwd, flags.out);
  if (out === path) throw new UsageError('The output file cannot be the file being scored; pick another --out.');
  const json = Boolean(flags.json);
  return runJob<ScoreResult>(ctx, globals, {
    noun: 'scoring',
    cancelledMessage: SCORE_CANCELLED_MESSAGE,
    progressLine: json ? null : (p, columns) => jobProgressLine('Scoring', p, columns),
    start: (backend) => backend.call('models.score', { id, path, out }),
    finish: (_backend, result) => {
      ctx.stdout.write(json ? JSON.stringify(result, null, 2) + '\n' : scoreSummary(result));
    },
  });
}
